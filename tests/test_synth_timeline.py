"""The merged timeline: one entry per event across sources, transitions, undated events; the seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storyline import Storyline
from storyline.synth.commitments import commitments, upcoming
from storyline.synth.timeline import label, merged_timeline, transition

from .conftest import needs_shared

TRUMP, XI, CHINA = "per:donald trump", "per:xi jinping", "loc:china"
NAMES = {TRUMP: "Donald Trump", XI: "Xi Jinping", CHINA: "China"}


def row(
    when: str | None,
    predicate: str,
    modality: str,
    published: str | None,
    participants: tuple[str, ...] = (TRUMP, XI),
    article: str = "a1",
    date_end: str | None = None,
    sentence: str = "Trump will meet Xi on Monday.",
    timex: tuple[int, int] | None = (22, 28),
    story: str = "s1",
) -> dict[str, Any]:
    """One ``Store.events`` row; the sentence starts at offset 100 of its article."""
    return {
        "predicate": predicate,
        "date": when,
        "date_end": date_end,
        "date_inferred": 0,
        "modality": modality,
        "participants": list(participants),
        "trigger": predicate,
        "start": 100,
        "end": 100 + len(sentence),
        "timex_start": 100 + timex[0] if timex else None,
        "timex_end": 100 + timex[1] if timex else None,
        "lang": "en",
        "article_id": article,
        "title": "t",
        "outlet": f"outlet {article}",
        "published": published,
        "url": None,
        "story_id": story,
        "sentence": sentence,
    }


def test_timeline_merges_sources_and_names_the_transition() -> None:
    rows = [
        row("2025-10-30", "meet", "happened", "2025-10-31T08:00:00", article="b"),
        row("2025-10-30", "meet", "scheduled", "2025-10-20T08:00:00", article="a"),
        row("2025-10", "meet", "happened", "2025-11-02T08:00:00", participants=(XI,), article="c"),
    ]
    (e,) = merged_timeline(rows, NAMES)
    assert (e["date"], e["date_end"], e["dated"], e["predicate"]) == ("2025-10-30", None, True, "meet")
    assert e["label"] == "Xi Jinping and Donald Trump meet"  # the most reported first
    assert e["status"] == "happened" and e["modalities"] == ["scheduled", "happened"]
    assert e["transition"] == "scheduled → happened"
    assert [s["article_id"] for s in e["sources"]] == ["a", "b", "c"]
    assert e["first_reported"] == "2025-10-20T08:00:00" and e["note"] is None
    assert e["participants"] == [{"key": XI, "name": "Xi Jinping"}, {"key": TRUMP, "name": "Donald Trump"}]
    src = e["sources"][0]
    assert set(src) >= {"article_id", "outlet", "published", "modality", "date_inferred", "trigger"}
    assert src["sentence"] and src["span"] == [100, 100 + len(src["sentence"])] and src["when"] == "Monday"


def test_timeline_orders_by_date_and_keeps_what_was_said_before_apart() -> None:
    rows = [
        row("2025-11-01", "deadline", "threatened", "2025-10-12", participants=(TRUMP,)),
        row("2025-10-24", "talk", "scheduled", "2025-10-20", date_end="2025-10-27", participants=(CHINA,)),
        # "have met four times this year", written before the talks: another event.
        row("2025", "talk", "happened", "2025-10-20", participants=(CHINA,), article="b"),
    ]
    entries = merged_timeline(rows, NAMES)
    assert [(e["date"], e["predicate"]) for e in entries] == [
        ("2025", "talk"),
        ("2025-10-24", "talk"),
        ("2025-11-01", "deadline"),
    ]
    assert entries[1]["status"] == "scheduled" and entries[1]["date_end"] == "2025-10-27"


def test_timeline_undated_entries_come_last_with_a_note() -> None:
    rows = [
        row(None, "call", "happened", None, sentence="Trump and Xi held a call on Monday.", timex=(28, 34)),
        row("2025-10-30", "meet", "happened", "2025-10-31"),
    ]
    entries = merged_timeline(rows, NAMES)
    assert [e["dated"] for e in entries] == [True, False]
    undated = entries[-1]
    assert undated["date"] is None and undated["predicate"] == "call"
    assert undated["label"] == "Donald Trump and Xi Jinping hold a phone call"
    assert "date not given" in undated["note"] and '"Monday"' in undated["note"]


def test_timeline_an_undated_report_joins_the_one_dated_entry_on_its_weekday() -> None:
    monday, tuesday = "2025-11-24", "2025-11-25"
    said = {"sentence": "Trump and Xi held a call on Monday.", "timex": (28, 34)}
    undated = row(None, "call", "happened", None, article="u", **said)  # type: ignore[arg-type]
    (e,) = merged_timeline([row(monday, "call", "happened", "2025-11-25"), undated], NAMES)
    assert e["date"] == monday and {s["article_id"] for s in e["sources"]} == {"a1", "u"}
    # A Tuesday call is not the Monday one.
    entries = merged_timeline([row(tuesday, "call", "happened", "2025-11-26"), undated], NAMES)
    assert [e["dated"] for e in entries] == [True, False]


def test_timeline_undated_reports_sort_by_what_they_say() -> None:
    """An undated article looking ahead was written before the event; one reporting it, after."""
    rows = [
        row("2025-10-30", "meet", "happened", None, article="after"),
        row("2025-10-30", "meet", "reported", "2025-10-23", article="dated"),
        row("2025-10-30", "meet", "scheduled", None, article="before"),
    ]
    (e,) = merged_timeline(rows, NAMES)
    assert [s["article_id"] for s in e["sources"]] == ["before", "dated", "after"]
    assert e["modalities"] == ["scheduled", "reported", "happened"]
    assert e["transition"] == "scheduled → happened"


@pytest.mark.parametrize(
    ("modalities", "expected"),
    [
        (["scheduled"], None),
        (["scheduled", "scheduled", "reported"], None),
        (["scheduled", "reported", "happened"], "scheduled → happened"),
        (["threatened", "happened"], "threatened → carried out"),
        (["threatened", "cancelled"], "threatened → withdrawn"),
        (["proposed", "scheduled", "cancelled"], "proposed → scheduled → cancelled"),
    ],
)
def test_timeline_transition(modalities: list[str], expected: str | None) -> None:
    assert transition(modalities) == expected


def test_timeline_labels() -> None:
    assert label("meet", ["Donald Trump", "Xi Jinping"]) == "Donald Trump and Xi Jinping meet"
    assert label("meet", ["Donald Trump"]) == "Donald Trump meets"
    assert label("deadline", []) == "Deadline"
    assert label("purchase", ["China", "United States"]) == "Purchase: China and United States"
    assert label("talk", ["A", "B", "C", "D"]) == "A, B, C and others hold talks"


# -- the seeds ----------------------------------------------------------------------------------


def _find(entries: list[dict[str, Any]], when: str | None, predicate: str) -> dict[str, Any]:
    found = [e for e in entries if e.get("date", e.get("due")) == when and e["predicate"] == predicate]
    assert found, [(e.get("date", e.get("due")), e["predicate"]) for e in entries]
    return found[0]


@needs_shared
@pytest.mark.slow
def test_seeds_timeline_and_commitments(seeds_db: Path) -> None:
    with Storyline(db=seeds_db, create=False) as sl:
        entries = sl.timeline()
        rows = sl.store.events()
        soon = upcoming(sl.store, date(2025, 10, 28), 30)
    pair = {TRUMP, XI}
    # The phone call "on Monday" on a page without a date: listed, undated, with both leaders.
    call = [e for e in entries if not e["dated"] and e["predicate"] == "call"]
    assert call and pair <= {p["key"] for p in call[0]["participants"]}, [e["label"] for e in entries]
    assert call[0]["date"] is None and "date not given" in call[0]["note"]
    assert entries[-1]["dated"] is False and all(e["dated"] for e in entries[: entries.index(call[0])])
    busan = _find(entries, "2025-10-30", "meet")
    assert busan["transition"] == "scheduled → happened" and busan["status"] == "happened"
    assert pair <= {p["key"] for p in busan["participants"]}
    talks = [e for e in entries if (e["date"], e["date_end"]) == ("2025-10-24", "2025-10-27")]
    assert talks and talks[0]["predicate"] == "talk"
    assert "threatened" in _find(entries, "2025-11-01", "deadline")["modalities"]
    assert _find(entries, "2025-11-10", "expire")
    assert _find(entries, "2026", "purchase")["status"] == "scheduled"

    before = commitments(rows, date(2025, 10, 28))
    assert _find(before, "2025-11-01", "deadline")["status"] == "pending"
    assert _find(before, "2025-11-10", "expire")["kind"] == "expiry"
    met = _find(before, "2025-10-30", "meet")
    assert met["status"] == "met" and met["status_reason"].startswith("reported as happened by")
    after = commitments(rows, date(2025, 12, 1))
    assert _find(after, "2025-11-01", "deadline")["status"] == "unconfirmed"
    assert _find(after, "2026", "purchase")["status"] == "pending"
    assert {(u["due"], u["predicate"]) for u in soon} >= {
        ("2025-11-01", "deadline"),
        ("2025-11-10", "expire"),
    }
    assert all(u["story_id"] and u["story_title"] for u in soon)


@pytest.mark.slow
def test_demo_timeline_entries_cite_their_sentences(demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    entries = sl.timeline()
    assert entries
    texts = sl.article_texts([s["article_id"] for e in entries for s in e["sources"]])
    for e in entries:
        assert e["label"] and e["sources"] and (e["date"] is not None) == e["dated"]
        for s in e["sources"]:
            start, end = s["span"]
            assert texts[s["article_id"]][start:end] == s["sentence"]
    dated = [e["date"] for e in entries if e["dated"]]
    assert entries[: len(dated)] == [e for e in entries if e["dated"]]  # undated last
    items = commitments(sl.store.events(), date(2025, 12, 31))
    assert items and {i["status"] for i in items} <= {"pending", "met", "missed", "superseded", "unconfirmed"}
