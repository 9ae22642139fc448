"""Extraction: title, date and outlet heuristics, HTML via trafilatura, the seeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.ids import article_id
from storyline.models import Article, Problem, RawDocument
from storyline.text.extract import MIN_TEXT_CHARS, extract, parse_date

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
NOW = datetime(2025, 11, 1, tzinfo=UTC)

BODY = (
    "The city council approved the new bus depot on Tuesday after a long debate "
    "about noise and traffic on the ring road.\n"
    "Construction is due to start in the spring and to take about eighteen months."
)


def _article(body: str, kind: str = "text", **hints: object) -> Article:
    result = extract(RawDocument("test", body, kind, dict(hints)), now=NOW)
    assert isinstance(result, Article), result
    return result


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published Oct 23, 2025   |   5:40 AM GMT-04", _utc(2025, 10, 23, 9, 40)),
        ("Updated: 2025-10-23", _utc(2025, 10, 23)),
        ("2025年10月23日 08:15", _utc(2025, 10, 23, 0, 15)),  # Beijing time when unstated
        ("2025年10月23日", _utc(2025, 10, 23)),
        ("发布时间：2025-10-23", _utc(2025, 10, 23)),
        ("Thu, 23 Oct 2025 09:40:00 +0000", _utc(2025, 10, 23, 9, 40)),
        ("2025-10-23T09:40:00+08:00", _utc(2025, 10, 23, 1, 40)),
        ("2025-10-23T09:40:00Z", _utc(2025, 10, 23, 9, 40)),
        ("23 October 2025", _utc(2025, 10, 23)),
        ("October 23rd, 2025 at 3:05 p.m. EDT", _utc(2025, 10, 23, 19, 5)),
        ("Oct. 23, 2025 12:00 AM", _utc(2025, 10, 23)),
        (1761212400, _utc(2025, 10, 23, 9, 40)),
        ("no date here", None),
        ("2025-13-45", None),
        ("", None),
    ],
)
def test_extract_parse_date_formats(text: str | int, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_extract_dates_are_aware_utc() -> None:
    when = parse_date("2025-10-23 17:30")
    assert when is not None and when.utcoffset() is not None and when.tzinfo == UTC


@pytest.mark.parametrize(
    ("stated", "warning"),
    [
        ("1900-01-01", "publication date 1900-01-01 is before 1990; ignored"),
        ("2099-01-01", "publication date 2099-01-01 is in the future; ignored"),
    ],
)
def test_extract_absurd_dates_warn_and_keep_the_article(stated: str, warning: str) -> None:
    from_hint = _article(BODY, published=stated, title="Depot approved")
    from_text = _article(f"Depot approved\nPublished: {stated}\n{BODY}")
    for article in (from_hint, from_text):
        assert article.published is None
        assert article.warnings == [warning]
        assert article.text.startswith("The city council")


def test_extract_unreadable_stated_date_warns_and_guesses() -> None:
    article = _article(f"Depot approved\nUpdated: 2025-10-20\n{BODY}", published="soon")
    assert article.published == _utc(2025, 10, 20)
    assert "could not read the stated publication date" in article.warnings[0]


def test_extract_text_title_repeated_at_top_is_one_title() -> None:
    title = "Council approves new bus depot"
    article = _article(f"{title}\n\n{title}\n\n{title}\n\n{BODY}")
    assert article.title == title
    assert title not in article.text
    assert article.warnings == []


def test_extract_text_date_and_outlet_from_byline() -> None:
    article = _article(
        "Council approves new bus depot\nProfile Image\nJane Roe·Harbor Wire\n"
        f"Published Mar 3, 2025 | 4:15 PM GMT+1\nShare\n{BODY}"
    )
    assert article.published == _utc(2025, 3, 3, 15, 15)
    assert article.outlet == "Harbor Wire"
    assert article.text.startswith("The city council")


def test_extract_text_chinese_dateline_and_source() -> None:
    body = (
        "江北新区开通首条夜间公交线路\n2025年10月23日 08:15 来源：新华社\n"
        "江北新区首条夜间公交线路于昨晚正式开通，线路全长二十二公里，每晚十点至次日凌晨两点运营。\n"
        "责任编辑：王芳"
    )
    article = _article(body)
    assert article.title == "江北新区开通首条夜间公交线路"
    assert article.published == _utc(2025, 10, 23, 0, 15)
    assert article.outlet == "新华社"
    assert article.text.startswith("江北新区首条") and "王芳" not in article.text


def test_extract_text_source_line_in_english() -> None:
    article = _article(f"Council approves new bus depot\nSource: Reuters\n{BODY}")
    assert article.outlet == "Reuters"
    assert "Source:" not in article.text


def test_extract_hints_win_over_guesses() -> None:
    article = _article(
        f"Guessed headline here\nSource: Reuters\nPublished: 2025-01-02\n{BODY}",
        title="Stated title",
        published="2025-03-04T05:06:00Z",
        source="Stated Outlet",
        url="https://example.org/depot",
        lang="EN",
    )
    assert (article.title, article.outlet, article.url, article.lang) == (
        "Stated title",
        "Stated Outlet",
        "https://example.org/depot",
        "en",
    )
    assert article.published == _utc(2025, 3, 4, 5, 6)
    assert article.id == article_id("https://example.org/depot", article.text)


def test_extract_no_headline_takes_the_first_sentence() -> None:
    body = BODY.replace("\n", " ") + "\nA second paragraph follows with more detail on the plan."
    article = _article(body)
    assert article.title.startswith("The city council approved")
    assert article.text.startswith("The city council approved")  # body keeps it
    assert article.warnings == ["no headline line found; title taken from the first sentence"]


def test_extract_paragraph_spans_index_the_text() -> None:
    article = _article(f"Council approves new bus depot\n\n{BODY}")
    assert [article.text[p.start : p.end] for p in article.paragraphs] == BODY.split("\n")
    assert all(p.lang == "und" for p in article.paragraphs)
    assert article.text == "\n\n".join(BODY.split("\n"))


def test_extract_id_is_stable_and_from_text_without_url() -> None:
    a = _article(f"Council approves new bus depot\n{BODY}")
    b = _article(f"Council approves new bus depot\r\n\r\n{BODY}\r\n")
    assert a.id == b.id == article_id(None, a.text)


def test_extract_markdown_markup_is_stripped() -> None:
    article = extract(RawDocument(str(DATA / "article.md"), (DATA / "article.md").read_text()))
    assert isinstance(article, Article)
    assert article.title == "Night trains return to the coastal line"
    assert article.published == _utc(2025, 5, 12)
    assert "two night trains a week" in article.text
    assert "on its website" in article.text and "sleeping cars would" in article.text
    for markup in ("**", "](", "#", "![", "Read more", "Share"):
        assert markup not in article.text


def test_extract_empty_after_boilerplate_is_a_problem() -> None:
    result = extract(RawDocument("x.txt", "Share\nSubscribe now\nAdvertisement\n"))
    assert isinstance(result, Problem) and result.fatal
    assert result.reason == "no article text left after removing boilerplate"


def test_extract_too_short_names_the_threshold() -> None:
    result = extract(RawDocument("x.txt", "Depot plan\nCouncil says yes."))
    assert isinstance(result, Problem) and result.fatal
    assert f"at least {MIN_TEXT_CHARS} needed" in result.reason


def test_extract_blank_document_is_a_problem() -> None:
    result = extract(RawDocument("x.txt", "  \n "))
    assert isinstance(result, Problem) and result.reason == "empty document"


def test_extract_html_news_page() -> None:
    html = (DATA / "news_en.html").read_text(encoding="utf-8")
    article = _article(html, "html")
    assert article.title == "Harbour council approves overnight ferry link to Port Elma"
    assert article.outlet == "Coastline Daily"
    # The meta published_time (with its time) beats the date in the URL path.
    assert article.published == _utc(2025, 3, 4, 13, 30)
    assert article.url == "https://news.coastline.example/2025/03/01/harbour-ferry-link"
    assert article.text.startswith("The harbour council on Tuesday approved")
    assert "A photo of the proposed vessel circulated" in article.text
    assert "Residents' groups have until the end of March" in article.text
    for gone in (
        "cookies",
        "Home",
        "Related articles",
        "North quay car park",
        "Copyright",
        "newsletter",
        "Advertisement",
        "Marta Quill",
        "approves overnight ferry link",
    ):
        assert gone not in article.text, gone
    assert len(article.paragraphs) == 6


def test_extract_html_outlet_from_url_host_and_date_from_url() -> None:
    html = (
        "<html><head><title>Depot approved</title></head><body><article><h1>Depot approved</h1>"
        + "".join(f"<p>{line}</p>" for line in BODY.split("\n"))
        + "</article></body></html>"
    )
    article = _article(html, "html", url="https://www.harborwire.example/2025/02/14/depot")
    assert article.outlet == "harborwire.example"
    assert article.published == _utc(2025, 2, 14)
    assert article.title == "Depot approved"


def test_extract_html_fallback_when_trafilatura_finds_nothing() -> None:
    # A bare fragment: no block elements for trafilatura to score.
    html = BODY.replace("\n", "<br>")
    article = _article(html, "html", title="Depot approved")
    assert article.text == "\n\n".join(BODY.split("\n"))
    assert article.warnings == ["main content not found by trafilatura; used the page's full text"]


def test_extract_html_list_items_lose_their_markers() -> None:
    items = "".join(f"<li>{line}</li>" for line in BODY.split("\n"))
    article = _article(f"<html><body><h1>Depot approved</h1><ul>{items}</ul></body></html>", "html")
    assert article.text.startswith("The city council") and "- " not in article.text


def test_extract_html_without_text_is_a_problem() -> None:
    html = "<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>"
    result = extract(RawDocument("page.html", html, "html"))
    assert isinstance(result, Problem) and result.fatal


def test_extract_html_garbage_is_a_problem_not_an_exception() -> None:
    for body in ("<<<>>>", "<!-- only a comment -->", "\x0c"):
        result = extract(RawDocument("page.html", body, "html"))
        assert isinstance(result, Problem) and result.fatal


# -- the seeds: real pasted articles, read from ../shared at run time -------------------------

SEED_CASES = {
    "000": (
        ["Getty Images", "(left) and Chinese President", "Subscribe now", "Post Comment"],
        [
            "will meet Chinese President Xi Jinping next week",
            "Trump will visit Tokyo on October 27",
        ],
    ),
    "001": (
        [
            "AI 生成的图像",
            "Illustration of Presidents",
            "相关文章",
            "Zelensky",
            "由 AI 报道",
            "cookie",
        ],
        ["held a phone call on Monday", "Regarding Ukraine, Xi said"],
    ),
    "002": (
        ["Also Read", "Read More", "Post a Comment", "0 Comments", "Tech Independence\n"],
        ["no concrete deal was made on that front", "This latest round of discussions"],
    ),
    "003": (
        [
            "Profile Image",
            "Getty Images",
            "In this photo illustration",
            "Add us on",
            "M·Stocktwits",
            "Published Oct 23",
            "Read Next",
            "editorial guidelines",
            "newsroom[at]",
        ],
        ["The two sides will discuss key economic", "“Everything is on the table,” Bessent"],
    ),
    "004": (
        [],
        ["On the 9th, China announced", "attention is turning to the anticipated meeting"],
    ),
}


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is not present)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_extract_seeds_drop_boilerplate_and_keep_sentences(prefix: str) -> None:
    path = _seed(prefix)
    article = extract(RawDocument(str(path), path.read_text(encoding="utf-8")), now=NOW)
    assert isinstance(article, Article), article
    gone, kept = SEED_CASES[prefix]
    for needle in gone:
        assert needle not in article.text + "\n", needle
    for needle in kept:
        assert needle in article.text, needle
    paragraphs = [article.text[p.start : p.end] for p in article.paragraphs]
    assert article.title not in paragraphs  # the title is not repeated in the body
    assert not {"Share", "·", "Subscribe now"} & set(paragraphs)


def test_extract_seed_003_date_and_outlet() -> None:
    path = _seed("003")
    article = extract(RawDocument(str(path), path.read_text(encoding="utf-8")), now=NOW)
    assert isinstance(article, Article)
    assert article.published == _utc(2025, 10, 23, 9, 40)
    assert article.outlet == "Stocktwits"
    assert article.title.startswith("China Confirms High-Level Trade Talks")


def test_extract_seed_titles() -> None:
    expected = {
        "000": "Trump will meet China’s Xi for the first time",
        "001": "Trump and Xi discuss trade, Taiwan and Ukraine",
        "002": "Xi-Trump Talks Highlight China’s Push",
    }
    for prefix, start in expected.items():
        path = _seed(prefix)
        article = extract(RawDocument(str(path), path.read_text(encoding="utf-8")), now=NOW)
        assert isinstance(article, Article) and article.title.startswith(start), prefix


def test_extract_headline_only_flash_keeps_its_line_as_body() -> None:
    line = "Two gang members were arrested in the fatal shooting of a sheriff's deputy, officials said."
    result = extract(RawDocument(origin="flash", body=line, kind="text", hints={"title": line}))
    assert isinstance(result, Article)
    assert result.text == line and result.title == line


@pytest.mark.parametrize("value", ["Oct 2025", "10:30", "2025"])
def test_extract_partial_dates_are_not_completed_from_today(value: str) -> None:
    assert parse_date(value) is None


def test_extract_relative_canonical_link_is_not_an_id() -> None:
    page = (
        "<html><head><title>Harbour reopens</title><link rel='canonical' href='/news/1'></head>"
        "<body><article><h1>Harbour reopens</h1><p>"
        + "The harbour reopened to cargo ships on Monday after a week of repairs to the pier. " * 4
        + "</p></article></body></html>"
    )
    result = extract(RawDocument(origin="p.html", body=page, kind="html"))
    assert isinstance(result, Article)
    assert result.url is None
