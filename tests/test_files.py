"""Files, folders and stdin -> RawDocument, and every kind of bad input as a Problem."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.ingest.files import MAX_FILE_SETTING, SUPPORTED_EXTENSIONS, decode_bytes, iter_raw
from storyline.models import Article, Problem, RawDocument
from storyline.text.extract import extract

DATA = Path(__file__).resolve().parent / "data"
NOW = datetime(2025, 11, 1, tzinfo=UTC)
BODY = (
    "The city council approved the new bus depot on Tuesday after a long debate "
    "about noise and traffic on the ring road."
)


def _all(*paths: str | Path, **kwargs: object) -> list[RawDocument | Problem]:
    return list(iter_raw(list(paths), **kwargs))  # type: ignore[arg-type]


def _one(*paths: str | Path, **kwargs: object) -> RawDocument | Problem:
    items = _all(*paths, **kwargs)
    assert len(items) == 1, items
    return items[0]


def _problem(*paths: str | Path, **kwargs: object) -> Problem:
    item = _one(*paths, **kwargs)
    assert isinstance(item, Problem), item
    assert item.fatal and "\n" not in item.reason
    return item


def _doc(*paths: str | Path, **kwargs: object) -> RawDocument:
    item = _one(*paths, **kwargs)
    assert isinstance(item, RawDocument), item
    return item


def _article(raw: RawDocument) -> Article:
    article = extract(raw, now=NOW)
    assert isinstance(article, Article), article
    return article


# -- bad input ---------------------------------------------------------------------------------


def test_files_missing_path(tmp_path: Path) -> None:
    assert _problem(tmp_path / "nope.txt").reason == "no such file or folder"


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t "])
def test_files_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _problem(path).reason == "empty file"


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".html"])
def test_files_empty_file_of_each_kind(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"\n\n")
    assert _problem(path).reason == "empty file"


def test_files_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert "binary" in _problem(path).reason


def test_files_binary_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert "binary" in _problem(path).reason


def test_files_unknown_extension_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    reason = _problem(path).reason
    assert "unsupported file type '.pdf'" in reason and ".jsonl" in reason


def test_files_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 100)
    reason = _problem(path, max_bytes=1000).reason
    assert reason.startswith("file is 0.012 MB, larger than the limit of 0.001 MB")
    assert MAX_FILE_SETTING in reason


def test_files_real_50_mb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    chunk = (BODY + "\n").encode() * 8000
    with path.open("wb") as f:
        for _ in range(50_000_000 // len(chunk)):
            f.write(chunk)
        f.write(b"x" * (50_000_000 - f.tell()))
    reason = _problem(path).reason
    assert reason == (
        f"file is 50.0 MB, larger than the limit of 20.0 MB (raise {MAX_FILE_SETTING} to accept it)"
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_files_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(BODY)
    path.chmod(0)
    try:
        assert _problem(path).reason == "permission denied"
    finally:
        path.chmod(0o600)


# -- HTML that is broken or cut off ------------------------------------------------------------


def test_files_truncated_html_still_gives_an_article() -> None:
    article = _article(_doc(DATA / "truncated.html"))
    assert article.title == "Orchard growers warn of late frost damage"
    assert "two nights of hard frost" in article.text
    assert "worst since" in article.text  # the cut-off last paragraph is kept as far as it goes
    assert article.outlet == "Valley Ledger"


def test_files_broken_html_still_gives_an_article() -> None:
    raw = _doc(DATA / "broken.html")
    assert raw.kind == "html"
    article = _article(raw)
    assert article.title == "Library reopens after flood repairs"
    assert "reopened its doors on Saturday" in article.text
    assert "restored by volunteers" in article.text


# -- encodings ---------------------------------------------------------------------------------


def test_files_gbk_html_with_gb2312_meta() -> None:
    raw = _doc(DATA / "news_zh_gbk.html")
    assert "江北新区开通首条夜间公交线路" in raw.body
    article = _article(raw)
    assert article.title == "江北新区开通首条夜间公交线路"
    assert article.outlet == "江城晚报"
    assert "市民张先生在首班车上说" in article.text
    for gone in ("图为首班", "责任编辑", "扫码关注", "版权所有", "首页"):
        assert gone not in article.text


def test_files_big5_html() -> None:
    article = _article(_doc(DATA / "news_zh_big5.html"))
    assert article.title == "港口新渡輪航線下月啟航"
    assert article.published == datetime(2025, 7, 2, 1, 15, tzinfo=UTC)
    assert "海灣港務局週三宣布" in article.text
    assert "圖源" not in article.text and "版權所有" not in article.text


def test_files_gbk_text_without_declaration() -> None:
    article = _article(_doc(DATA / "gbk.txt"))
    assert article.title == "山区小学用上太阳能热水"
    assert article.outlet == "山城日报"
    assert article.published == datetime(2025, 9, 3, 2, 20, tzinfo=UTC)
    assert len(article.paragraphs) == 3  # one paragraph per line, not re-joined


def test_files_latin1_text() -> None:
    raw = _doc(DATA / "latin1.txt")
    assert "rénovation du marché couvert" in raw.body and "Église" in raw.body
    article = _article(raw)
    assert article.published == datetime(2025, 4, 9, tzinfo=UTC)
    assert "Partager" not in article.text and "©" not in article.text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_files_byte_order_marks(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("Café déjà vu — 北京\n".encode(encoding))
    assert _doc(path).body == "Café déjà vu — 北京\n"


def test_files_decode_bytes_rejects_binary() -> None:
    assert decode_bytes(b"abc\x00def") is None
    assert decode_bytes("naïve".encode()) == "naïve"


# -- JSON and JSON Lines -----------------------------------------------------------------------


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_files_jsonl_invalid_line_and_the_rest_still_come(tmp_path: Path) -> None:
    good = json.dumps({"title": "Depot approved", "text": BODY, "url": "https://e.org/1"})
    path = _jsonl(tmp_path, good, "", '{"title": "broken", "text": ', good.replace("/1", "/2"))
    items = _all(path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "Problem", "RawDocument"]
    assert [i.origin for i in items] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    problem = items[1]
    assert isinstance(problem, Problem) and problem.fatal
    assert problem.reason.startswith("invalid JSON on this line")
    assert str(problem).startswith(f"{path}:3: skipped: invalid JSON")


def test_files_jsonl_hints_and_bodies(tmp_path: Path) -> None:
    record = {
        "title": "Depot approved",
        "html": f"<p>{BODY}</p>",
        "url": "https://e.org/1",
        "published": "2025-10-23",
        "source": "Harbor Wire",
        "lang": "en",
        "extra": "ignored",
    }
    raw = _doc(_jsonl(tmp_path, json.dumps(record)))
    assert raw.kind == "html" and raw.body == f"<p>{BODY}</p>"
    assert raw.hints == {k: record[k] for k in ("title", "url", "published", "source", "lang")}


def test_files_jsonl_record_without_body(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, json.dumps({"title": "No body here"}), "[1, 2]")
    first, second = _all(path)
    assert isinstance(first, Problem) and first.reason == "no 'text' or 'html' field"
    assert isinstance(second, Problem) and "expected a JSON object" in second.reason


def test_files_jsonl_streams_past_the_file_limit_with_a_line_limit(tmp_path: Path) -> None:
    line = json.dumps({"text": BODY})
    path = _jsonl(tmp_path, *[line] * 50, json.dumps({"text": "x" * 5000}), line)
    items = _all(path, max_bytes=1000)  # the file is ~8 KB, each good line ~150 B
    assert sum(isinstance(i, RawDocument) for i in items) == 51
    problems = [i for i in items if isinstance(i, Problem)]
    assert [p.origin for p in problems] == [f"{path}:51"]
    assert "line is 0.005 MB, larger than the limit of 0.001 MB" in problems[0].reason


def test_files_jsonl_larger_than_the_read_ahead_streams_every_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"{BODY} {n}"}) for n in range(12_000)]  # about 1.8 MB
    items = _all(_jsonl(tmp_path, *lines), max_bytes=10_000)
    assert len(items) == 12_000 and all(isinstance(i, RawDocument) for i in items)
    assert items[-1].origin.endswith(":12000") and items[-1].body.endswith(" 11999")


def test_files_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": BODY, "title": "Depot"}))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": BODY}, {"html": "<p>x</p>"}, {"title": "none"}]))
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": "unterminated')
    assert _doc(one).hints == {"title": "Depot"}
    items = _all(many)
    assert [i.origin for i in items] == [f"{many}[0]", f"{many}[1]", f"{many}[2]"]
    assert isinstance(items[2], Problem)
    assert _problem(bad).reason.startswith("invalid JSON at line 1")


@pytest.mark.parametrize(("published", "year"), [("1900-01-01", "1900"), ("2099-01-01", "2099")])
def test_files_absurd_dates_warn_and_keep_the_article(tmp_path: Path, published: str, year: str) -> None:
    path = _jsonl(tmp_path, json.dumps({"title": "Depot", "text": BODY, "published": published}))
    article = _article(_doc(path))
    assert article.published is None
    assert len(article.warnings) == 1 and year in article.warnings[0]


def test_files_missing_date_is_no_warning(tmp_path: Path) -> None:
    article = _article(_doc(_jsonl(tmp_path, json.dumps({"title": "Depot", "text": BODY}))))
    assert article.published is None and article.warnings == []


# -- stdin -------------------------------------------------------------------------------------


def test_files_stdin_text() -> None:
    raw = _doc("-", stdin=io.BytesIO(f"Depot approved\n\n{BODY}\n".encode()))
    assert (raw.origin, raw.kind) == ("<stdin>", "text")


def test_files_stdin_html() -> None:
    raw = _doc("-", stdin=io.BytesIO(f"\n  <html><body><p>{BODY}</p></body></html>".encode()))
    assert raw.kind == "html"


def test_files_stdin_json_lines() -> None:
    lines = [json.dumps({"text": BODY, "title": f"T{i}"}) for i in range(3)]
    stream = io.BytesIO(("\n" + lines[0] + "\nnot json\n" + "\n".join(lines[1:])).encode())
    items = _all("-", stdin=stream)
    assert [i.origin for i in items] == ["<stdin>:2", "<stdin>:3", "<stdin>:4", "<stdin>:5"]
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawDocument", "Problem", "RawDocument", "RawDocument"]


def test_files_stdin_json_document() -> None:
    stream = io.BytesIO(json.dumps([{"text": BODY}, {"text": BODY}], indent=2).encode())
    assert [i.origin for i in _all("-", stdin=stream)] == ["<stdin>[0]", "<stdin>[1]"]


def test_files_stdin_empty_and_too_big() -> None:
    assert _problem("-", stdin=io.BytesIO(b"")).reason == "empty file"
    reason = _problem("-", stdin=io.BytesIO(b"x" * 5000), max_bytes=1000).reason
    assert "larger than the limit" in reason


# -- folders -----------------------------------------------------------------------------------


def test_files_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ("b.txt", "a/z.md", "a/b/c.html", "c.jsonl", ".hidden.txt", ".git/x.txt", "d.pdf"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"text": BODY}) if rel.endswith("jsonl") else BODY)
    origins = [i.origin for i in _all(tmp_path)]
    root = str(tmp_path)
    assert origins == [
        f"{root}/a/b/c.html",
        f"{root}/a/z.md",
        f"{root}/b.txt",
        f"{root}/c.jsonl:1",
    ]


def test_files_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}


def test_files_test_data_folder_all_extract() -> None:
    items = _all(DATA)
    assert all(isinstance(i, RawDocument) for i in items)
    assert all(isinstance(extract(i, now=NOW), Article) for i in items)  # type: ignore[arg-type]


def test_files_lone_surrogate_in_json_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"title": "Broken \\ud83d emoji", "text": "Body with a lone \\ud83d surrogate."}\n')
    (doc,) = list(iter_raw([path]))
    assert isinstance(doc, RawDocument)
    doc.body.encode("utf-8")  # would raise UnicodeEncodeError on a lone surrogate
    doc.hints["title"].encode("utf-8")
