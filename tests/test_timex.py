"""Temporal expressions: spans and TIMEX3 values, English and Chinese, and the scorer."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from storyline.eval.timex import EvalError, evaluate
from storyline.nlp.timex import Timex, find_timexes, value_range

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


def test_timex_issue_examples_with_a_publication_date() -> None:
    monday = date(2025, 10, 27)
    assert one("Trump will meet Xi on Thursday.", "Thursday", monday).value == "2025-10-30"
    assert one("Trump and Xi met on Thursday.", "Thursday", monday).value == "2025-10-23"
    expire = one("The truce will expire on November 10.", "November 10", date(2025, 10, 12))
    assert expire.value == "2025-11-10"
    november = date(2025, 11, 12)
    assert one("The tariffs will take effect in March.", "March", november).value == "2026-03"
    assert one("The tariffs took effect in March.", "March", november).value == "2025-03"
    assert one("双方将于周四会谈。", "周四", monday, "zh").value == "2025-10-30"
    t = one("本月初，双方举行了会谈。", "本月初", monday, "zh")
    assert (t.value, t.mod) == ("2025-10", "START")
    assert one("去年10月，双方签署了协议。", "去年10月", monday, "zh").value == "2024-10"
    assert one("下周末将举行峰会。", "下周末", monday, "zh").value == "2025-W45-WE"


def test_timex_nearest_tense_cue_decides() -> None:
    friday = date(1989, 10, 27)
    # "said" is next to the day; "intends to" belongs to what was said.
    assert one("Paribas said Monday that it intends to bid.", "Monday", friday).value == "1989-10-23"
    # "P. Davison" does not end the sentence, and "succeed" is no past tense.
    succeed = one("He will succeed Daniel P. Davison Feb. 1, the bank said.", "Feb. 1", friday)
    assert succeed.value == "1990-02-01"
    assert one("The dividend would be paid in January.", "January", friday).value == "1990-01"
    assert one("Until Thursday, they had not called him a suspect.", "Thursday", friday).value == "1989-10-26"
    t = "The relatives looked for ways to get around Wednesday's ruling."
    assert one(t, "Wednesday", date(2000, 1, 7)).value == "2000-01-05"


def test_timex_date_ranges_give_both_ends() -> None:
    # TimeBank annotates "April 24 and 25" as two expressions; a range's second end is its own
    # expression ("27", "27日"), valued in the month and year of the first.
    cases = {
        "Talks run October 24-27 in Geneva.": ("October 24", "27"),
        "Talks are set for Oct. 24 to 27.": ("Oct. 24", "27"),
        "Talks run from Oct 24 to Oct 27.": ("Oct 24", "Oct 27"),
        "The summit, 24-27 October, will be held in Busan.": ("24", "27 October"),
        "会议于10月24日至27日举行。": ("10月24日", "27日"),
        "会议将于10月24日到27日举行。": ("10月24日", "27日"),
    }
    for text, (first, second) in cases.items():
        found = [(t.text, t.value) for t in find_timexes(text, DCT, "zh" if "会议" in text else "en")]
        assert found == [(first, "2025-10-24"), (second, "2025-10-27")], text
    assert one("Leaders met on October 24-27, 2024.", "27, 2024").value == "2024-10-27"
    assert one("They met October 24-27, 2024.", "October 24").value == "2024-10-24"
    assert one("The summit will be held on April 24 and 25.", "25").value == "2026-04-25"
    assert [t.text for t in find_timexes("Prices rose 24 to 27 percent.", DCT)] == []


def test_timex_weekend_and_reporting_periods() -> None:
    monday = date(1990, 8, 13)
    t = one("The ambassador said over the weekend that talks failed.", "the weekend", monday)
    assert (t.type, t.value) == ("DATE", "1990-W32-WE")
    text = "Revenue for the year ended June 30 rose 5%."
    assert one(text, "the year", date(1989, 10, 30)).value == "P1Y"
    assert one("Sales rose in recent years.", "recent years").value == "PAST_REF"
    assert one("Tax credits will cut payments in coming quarters.", "coming quarters").value == "FUTURE_REF"


def test_timex_quarter_phrasings() -> None:
    dct = date(1989, 10, 31)
    t = "It took a charge in the 1988 second quarter."
    assert one(t, "the 1988 second quarter", dct).value == "1988-Q2"
    t = "The spin-off could be effective as early as next year's first quarter."
    assert one(t, "next year's first quarter", dct).value == "1990-Q1"
    t = "Net income fell to $1 million in the quarter from $2 million in the corresponding period last year."
    assert one(t, "the corresponding period last year", dct).value == "1988-Q3"
    assert one("Sales will rise in the current fiscal year.", "the current fiscal year", dct).value == "1989"
    assert [x.text for x in find_timexes("The quarterly dividend was raised.", dct)] == []


def test_timex_clock_times_with_their_day() -> None:
    dct = date(1989, 11, 2)
    t = one("The offer was extended until 5 p.m. EST Nov. 9.", "5 p.m. EST Nov. 9", dct)
    assert (t.type, t.value) == ("TIME", "1989-11-09T17:00")
    friday = date(1998, 2, 13)
    assert one("Talks broke off at noon Thursday.", "noon Thursday", friday).value == "1998-02-12T12:00"
    t = one("The blast occurred at about 10:35 a.m. (0735 GMT) Friday.", "10:35 a.m.", date(1998, 8, 8))
    assert t.value == "1998-08-07T10:35"
    assert [x.text for x in find_timexes("He starred in High Noon.", friday)] == []
    t = one("In London at mid-afternoon yesterday, shares rose.", "mid-afternoon yesterday", dct)
    assert (t.type, t.value, t.mod) == ("TIME", "1989-11-01TAF", "MID")


def test_timex_spoken_years_decades_and_approximate_durations() -> None:
    dct = date(1998, 2, 23)
    t = "We saw it in the winter of nineteen ninety-four."
    assert one(t, "the winter of nineteen ninety-four", dct).value == "1994-WI"
    t = "January nineteen ninety-seven. Atlanta again."
    assert one(t, "January nineteen ninety-seven", dct).value == "1997-01"
    assert one("The trend of the '80s continues.", "the '80s", date(1989, 10, 26)).value == "198"
    t = one("The plants will close over the next year or so.", "the next year or so", date(1989, 11, 2))
    assert (t.value, t.mod) == ("1990", "APPROX")
    assert one("But a minute and a half later, a pilot called.", "a minute and a half").value == "PT1M30S"
    assert one("Losses fell in the last twenty four hours.", "the last twenty four hours").value == "PT24H"
    assert one("Shipments resume within two to three weeks.", "two to three weeks").value == "PXW"


def test_value_range_covers_the_calendar_days_of_a_value() -> None:
    d = date
    assert value_range("2025-10-30") == (d(2025, 10, 30), d(2025, 10, 30))
    assert value_range("2025-10-30T14:00") == (d(2025, 10, 30), d(2025, 10, 30))
    assert value_range("2025-10-30TNI") == (d(2025, 10, 30), d(2025, 10, 30))
    assert value_range("2025-W44") == (d(2025, 10, 27), d(2025, 11, 2))
    assert value_range("2025-W44-WE") == (d(2025, 11, 1), d(2025, 11, 2))
    assert value_range("2026-04") == (d(2026, 4, 1), d(2026, 4, 30))
    assert value_range("2024-02") == (d(2024, 2, 1), d(2024, 2, 29))
    assert value_range("2026") == (d(2026, 1, 1), d(2026, 12, 31))
    assert value_range("2026-Q1") == (d(2026, 1, 1), d(2026, 3, 31))
    assert value_range("2026-H2") == (d(2026, 7, 1), d(2026, 12, 31))
    assert value_range("2025-WI") == (d(2025, 12, 1), d(2026, 2, 28))
    assert value_range("198") == (d(1980, 1, 1), d(1989, 12, 31))
    for no_span in ("P3Y", "PT24H", "PRESENT_REF", "XXXX-10-30", "XXXX-WXX-4", "2025-13", "2025-02-30"):
        assert value_range(no_span) is None, no_span


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


def test_timex_chinese_approximate_numerals_do_not_break_the_tagger() -> None:
    found = find_timexes("他在那里住了三四天，又过了两三个月。", DCT, "zh")
    assert [(t.text, t.value) for t in found] == [("三四天", "P4D"), ("两三个月", "P3M")]


def test_timex_infinitive_of_intent_looks_ahead() -> None:
    text = "Trump said he accepted an invitation to visit Beijing in April."
    assert [t.value for t in find_timexes(text, date(2025, 11, 25))] == ["2026-04"]
    text = "The two sides agreed to meet again in March."
    assert [t.value for t in find_timexes(text, date(2025, 11, 25))] == ["2026-03"]
