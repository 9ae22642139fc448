"""Temporal expressions: spans and TIMEX3 values, English and Chinese, and the scorer."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from storyline.eval.timex import EvalError, evaluate
from storyline.nlp.timex import Timex, find_timexes

DCT = date(2025, 10, 23)  # a Thursday, ISO week 43


def one(text: str, phrase: str, dct: date | datetime | None = DCT, lang: str = "en") -> Timex:
    """The expression found at ``phrase``; its span must be exactly the phrase."""
    found = {t.text: t for t in find_timexes(text, dct, lang)}
    assert phrase in found, f"{phrase!r} not found in {sorted(found)}"
    t = found[phrase]
    assert text[t.start : t.end] == phrase
    return t


def test_timex_weekday_in_past_news_is_the_most_recent_one() -> None:
    assert one("Talks resumed on Thursday in Geneva.", "Thursday").value == "2025-10-23"
    assert one("The minister resigned on Tuesday.", "Tuesday").value == "2025-10-21"


def test_timex_weekday_with_future_cue_is_the_next_one() -> None:
    assert one("She will visit Paris on Tuesday.", "Tuesday").value == "2025-10-28"


def test_timex_relative_weeks_and_months() -> None:
    assert one("Voting starts next week.", "next week").value == "2025-W44"
    assert one("Prices rose last week.", "last week").value == "2025-W42"
    t = one("The company said earlier this month that it would cut jobs.", "earlier this month")
    assert (t.value, t.mod) == ("2025-10", "START")


def test_timex_absolute_dates() -> None:
    assert one("The summit is due on October 30.", "October 30").value == "2025-10-30"
    assert one("Results are due November 10.", "November 10").value == "2025-11-10"
    assert one("It opened on Oct. 30, 2024 in Lyon.", "Oct. 30, 2024").value == "2024-10-30"
    assert one("Filed 2025-10-30 at noon.", "2025-10-30").value == "2025-10-30"
    assert one("Filed 10/30/2025.", "10/30/2025").value == "2025-10-30"


def test_timex_day_of_month_is_this_or_last_month() -> None:
    assert one("The deal was signed on the 9th.", "the 9th").value == "2025-10-09"
    assert one("The deal was signed on the 28th.", "the 28th").value == "2025-09-28"


def test_timex_year_with_modifier_keeps_the_mod() -> None:
    t = one("The plant will open in early 2026.", "early 2026")
    assert (t.type, t.value, t.mod) == ("DATE", "2026", "START")


def test_timex_durations() -> None:
    assert one("He served three years in prison.", "three years").value == "P3Y"
    assert one("The strike lasted 48 hours.", "48 hours").value == "PT48H"
    t = one("Sales fell over the past two months.", "the past two months")
    assert (t.type, t.value) == ("DURATION", "P2M")


def test_timex_ago_and_deictic_words() -> None:
    assert one("The law passed two years ago.", "two years ago").value == "2023"
    assert one("He arrived yesterday.", "yesterday").value == "2025-10-22"
    assert one("Stocks are now cheaper.", "now").value == "PRESENT_REF"
    t = one("The quake struck at 5:40 a.m. local time.", "5:40 a.m. local time")
    assert (t.type, t.value) == ("TIME", "2025-10-23T05:40")


def test_timex_quarters_follow_reporting_convention() -> None:
    assert one("Profit rose in the third quarter.", "the third quarter").value == "2025-Q3"


def test_timex_chinese_dates() -> None:
    assert one("2025年10月30日，会议召开。", "2025年10月30日", lang="zh").value == "2025-10-30"
    assert one("双方将于10月30日签约。", "10月30日", lang="zh").value == "2025-10-30"
    assert one("会议将于2月5日举行。", "2月5日", lang="zh").value == "2026-02-05"
    assert one("他2月5日签署了协议。", "2月5日", lang="zh").value == "2025-02-05"
    assert one("工厂明年四月投产。", "明年四月", lang="zh").value == "2026-04"
    assert one("3日，双方举行了会谈。", "3日", lang="zh").value == "2025-10-03"


def test_timex_chinese_relative_words() -> None:
    assert one("双方周四举行了会谈。", "周四", lang="zh").value == "2025-10-23"
    assert one("双方星期二举行了会谈。", "星期二", lang="zh").value == "2025-10-21"
    assert one("他上周四抵达北京。", "上周四", lang="zh").value == "2025-10-16"
    expected = {"今年": "2025", "去年": "2024", "上周": "2025-W42", "下个月": "2025-11"}
    for phrase, value in expected.items():
        assert one(f"我们{phrase}很忙。", phrase, lang="zh").value == value
    days = {"昨天": "2025-10-22", "今天": "2025-10-23", "明天": "2025-10-24"}
    for phrase, value in days.items():
        assert one(f"他{phrase}说。", phrase, lang="zh").value == value


def test_timex_without_dct_leaves_year_unknown() -> None:
    assert one("The vote is on October 30.", "October 30", dct=None).value == "XXXX-10-30"


def test_timex_ages_are_not_expressions() -> None:
    assert find_timexes("A 45-year-old man was arrested.", DCT) == []


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_timex_eval_scores_small_file(tmp_path: Path) -> None:
    text = "Talks resumed on Thursday and will end next week, officials said in 1998."
    gold = [
        {"start": 17, "end": 25, "text": "Thursday", "type": "DATE", "value": "2025-10-23", "mod": None},
        # The predicted value (2025-W44) differs: a relaxed match with a wrong value.
        {"start": 39, "end": 48, "text": "next week", "type": "DATE", "value": "2025-W45", "mod": None},
        {"start": 0, "end": 5, "text": "Talks", "type": "DATE", "value": "X", "mod": None},  # missed
    ]
    path = write(tmp_path / "t.jsonl", [{"id": "a", "dct": "2025-10-23", "text": text, "timexes": gold}])
    r = evaluate(path)
    # Predicted: Thursday, next week, 1998 -> 2 of 3 match, 2 of 3 gold found.
    assert (r["n_docs"], r["n_gold"], r["n_predicted"]) == (1, 3, 3)
    assert r["relaxed_precision"] == pytest.approx(2 / 3)
    assert r["relaxed_recall"] == pytest.approx(2 / 3)
    assert r["strict_f1"] == pytest.approx(2 / 3)
    assert r["value_accuracy"] == pytest.approx(0.5)
    assert r["value_f1"] == pytest.approx(r["relaxed_f1"] * 0.5)
    assert r["seconds"] >= 0


def test_timex_eval_rejects_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(EvalError):
        evaluate(bad)
    with pytest.raises(EvalError):
        evaluate(tmp_path / "missing.jsonl")
    no_gold = write(tmp_path / "ng.jsonl", [{"id": "a", "dct": "2025-10-23", "text": "x"}])
    with pytest.raises(EvalError):
        evaluate(no_gold)


def test_timex_cli_eval_prints_the_tempeval_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storyline.cli import main

    doc = {
        "id": "d1",
        "dct": "2025-10-23",
        "text": "Talks resumed on October 30.",
        "timexes": [
            {"start": 18, "end": 28, "text": "October 30", "type": "DATE", "value": "2025-10-30", "mod": None}
        ],
    }
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["eval", "timex", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"relaxed_f1", "strict_f1", "value_accuracy", "value_f1"} <= set(out)
    assert out["value_f1"] == 1.0
