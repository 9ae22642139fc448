import json

import pytest

from storyline.cli import main

ARTICLES = [
    {
        "title": "Louvre robbed of crown jewels in daylight raid",
        "text": "Thieves used a furniture lift to reach a first-floor gallery of the Louvre in Paris on "
        "Sunday morning and escaped with eight pieces of jewellery in under seven minutes, the "
        "culture minister said. The museum was closed for the day while police searched for the "
        "gang, which fled on scooters.",
        "published": "2025-10-19T12:00:00+02:00",
        "source": "Paris Wire",
        "url": "https://example.org/heist-1",
    },
    {
        "title": "卢浮宫珠宝失窃 博物馆当天闭馆",
        "text": "法国巴黎卢浮宫19日上午发生盗窃案，窃贼利用升降平台进入二楼展厅，"
        "在七分钟内盗走八件珠宝后骑摩托车逃离。"
        "法国文化部长表示，博物馆当天闭馆，警方正在追捕嫌犯。",
        "published": "2025-10-19T20:00:00+08:00",
        "source": "新华网",
        "url": "https://example.org/heist-zh",
    },
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    src = folder / "in.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES), encoding="utf-8")
    path = folder / "cli.db"
    assert main(["ingest", str(src), "--db", str(path)]) == 0
    return path


def test_cli_ingest_prints_summary_as_json(tmp_path, capsys):
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(ARTICLES[0]), encoding="utf-8")
    assert main(["ingest", str(src), "--db", str(tmp_path / "x.db"), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ingested"] == 1 and out["stories_created"] == 1


def test_cli_stories_json_lists_bilingual_story(db, capsys):
    assert main(["stories", "--db", str(db), "--format", "json"]) == 0
    stories = json.loads(capsys.readouterr().out)
    assert len(stories) == 1
    assert set(stories[0]["langs"]) == {"en", "zh"}


def test_cli_show_story_as_markdown_and_json(db, capsys):
    main(["stories", "--db", str(db), "--format", "json"])
    sid = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["show", sid, "--db", str(db)]) == 0
    md = capsys.readouterr().out
    assert "Paris Wire" in md and "新华网" in md
    assert main(["show", sid, "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["articles"]) == 2 and data["storyline"]


def test_cli_unknown_story_is_a_clear_error(db, capsys):
    assert main(["show", "nope", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "no story or storyline 'nope'" in err and "Traceback" not in err


def test_cli_filters_by_language_and_date(db, capsys):
    main(["stories", "--db", str(db), "--lang", "fr", "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []
    main(["stories", "--db", str(db), "--since", "2026-01-01", "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []


def test_cli_bad_since_date_is_a_usage_error(db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stories", "--db", str(db), "--since", "last tuesday"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_cli_eval_cluster_reports_bcubed(tmp_path, capsys):
    rows = [
        {**a, "id": f"r{i}", "event": "heist", "storyline": "louvre", "lang": None}
        for i, a in enumerate(ARTICLES)
    ]
    # the same text again under another id: stored once, scored with its first copy
    rows.append({**rows[0], "id": "r-copy", "url": None})
    rows[0]["url"] = None
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["eval", "cluster", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("b3_precision", "b3_recall", "b3_f1", "pairwise_f1", "n_articles", "seconds"):
        assert key in out
    assert out["n_articles"] == 3
    assert out["b3_f1"] == 1.0


def test_cli_eval_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["eval", "cluster", str(tmp_path / "missing.jsonl")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_cli_read_command_on_a_missing_database_says_how_to_make_one(tmp_path, capsys):
    assert main(["stories", "--db", str(tmp_path / "typo.db")]) == 1
    assert "storyline ingest" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists()


def test_cli_bad_setting_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "abc")
    assert main(["stories", "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "STORYLINE_BATCH_SIZE='abc' is not a valid int" in err and "Traceback" not in err


def test_cli_ingest_of_nothing_usable_exits_1(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "e.db")]) == 1
    assert "empty" in capsys.readouterr().err
