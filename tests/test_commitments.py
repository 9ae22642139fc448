"""Commitments and deadlines: what was due when, and what the later coverage says became of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from storyline.models import Story
from storyline.synth.commitments import commitments, upcoming
from storyline.synth.material import Material

from .test_synth_timeline import CHINA, NAMES, TRUMP, XI, row

TODAY = date(2025, 11, 5)


def _one(rows: list[dict[str, Any]], today: date = TODAY) -> dict[str, Any]:
    items = commitments(rows, today, NAMES)
    assert len(items) == 1, items
    return items[0]


def test_commitment_met_when_a_later_report_says_it_happened() -> None:
    c = _one(
        [
            row("2025-10-30", "meet", "scheduled", "2025-10-20", article="a"),
            row("2025-10-30", "meet", "happened", "2025-10-31", article="b"),
        ]
    )
    assert (c["due"], c["kind"], c["what"], c["status"]) == (
        "2025-10-30",
        "meeting",
        "Donald Trump and Xi Jinping meet",
        "met",
    )
    assert "outlet b" in c["status_reason"] and "2025-10-31" in c["status_reason"]
    assert c["first_reported"] == "2025-10-20" and [s["article_id"] for s in c["sources"]] == ["a", "b"]


def test_commitment_pending_then_unconfirmed_not_missed() -> None:
    rows = [row("2025-11-10", "expire", "scheduled", "2025-10-20", participants=())]
    assert _one(rows)["status"] == "pending"
    c = _one(rows, date(2025, 11, 20))
    assert (c["kind"], c["status"]) == ("expiry", "unconfirmed")
    assert "no later report" in c["status_reason"]


def test_commitment_missed_when_called_off() -> None:
    c = _one(
        [
            row("2025-11-03", "talk", "scheduled", "2025-10-20", article="a"),
            row("2025-11-03", "talk", "cancelled", "2025-10-28", article="b"),
        ]
    )
    assert (c["kind"], c["status"]) == ("talks", "missed") and "called off" in c["status_reason"]


def test_commitment_superseded_by_a_new_date_for_the_same_event() -> None:
    items = commitments(
        [
            row("2025-11-03", "visit", "scheduled", "2025-10-20", article="a"),
            row("2025-11-03", "visit", "cancelled", "2025-10-28", article="b"),
            row("2025-12-01", "visit", "scheduled", "2025-10-28", article="b"),
        ],
        TODAY,
        NAMES,
    )
    old, new = items
    assert old["status"] == "superseded" and "2025-12-01" in old["status_reason"]
    assert (new["due"], new["status"]) == ("2025-12-01", "pending")


def test_commitment_other_people_do_not_supersede() -> None:
    items = commitments(
        [
            row("2025-11-03", "visit", "scheduled", "2025-10-20", participants=(TRUMP,)),
            row("2025-12-01", "visit", "scheduled", "2025-10-28", participants=(XI,)),
        ],
        date(2025, 11, 20),
        NAMES,
    )
    assert [i["status"] for i in items] == ["unconfirmed", "pending"]


def test_commitment_threats_carried_out_or_withdrawn() -> None:
    threat = row("2025-11-01", "impose_tariff", "threatened", "2025-10-12", participants=(TRUMP, CHINA))
    carried = _one(
        [threat, {**row("2025-11-01", "impose_tariff", "happened", "2025-11-02"), "article_id": "b"}]
    )
    assert (carried["kind"], carried["status"]) == ("threat", "met")
    assert "carried out" in carried["status_reason"]
    withdrawn = _one(
        [threat, {**threat, "modality": "cancelled", "published": "2025-10-30", "article_id": "b"}]
    )
    assert withdrawn["status"] == "superseded" and "withdrawn" in withdrawn["status_reason"]
    suspended = commitments(
        [
            threat,
            row(
                "2025-10-30",
                "suspend",
                "happened",
                "2025-10-30",
                participants=(TRUMP,),
                article="c",
                sentence="Trump suspended the 100% tariffs on Thursday.",
            ),
        ],
        TODAY,
        NAMES,
    )
    assert suspended[0]["status"] == "superseded" and "suspended" in suspended[0]["status_reason"]


def test_commitments_deadlines_count_without_a_cue_and_past_events_do_not() -> None:
    items = commitments(
        [
            row("2025-11-01", "deadline", "happened", "2025-11-02", participants=(TRUMP,)),
            row("2025-10-20", "meet", "happened", "2025-10-21"),
            row("2026", "agree", "proposed", "2025-10-21"),
        ],
        TODAY,
        NAMES,
    )
    assert [(i["predicate"], i["kind"]) for i in items] == [("deadline", "deadline")]


def test_commitments_as_of_today_ignore_later_reports() -> None:
    rows = [
        row("2025-10-30", "meet", "scheduled", "2025-10-20"),
        row("2025-10-30", "meet", "happened", "2025-10-31", article="b"),
    ]
    assert _one(rows, date(2025, 10, 25))["status"] == "pending"
    assert _one(rows, date(2025, 10, 31))["status"] == "met"


def test_commitments_take_a_material() -> None:
    story = Story("s1", None, "t", ["a1"], None, None, ["en"], [])
    rows = [row("2025-11-10", "meet", "scheduled", "2025-10-20")]
    material = Material(story, None, [], {}, rows, [], {TRUMP: "Trump", XI: "Xi"}, [], {}, TODAY)
    (c,) = commitments(material, TODAY)
    assert c["what"] == "Trump and Xi meet"


class _Store:
    """The three reads ``upcoming`` makes."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def events(self) -> list[dict[str, Any]]:
        return self.rows

    def entity_surfaces(self, keys: Sequence[str]) -> list[tuple[Any, ...]]:
        return [(k, k, "PER", NAMES[k], "en", "s1", 3, 1) for k in keys]

    def stories(self, ids: Sequence[str]) -> list[SimpleNamespace]:
        return [SimpleNamespace(id=i, title=f"story {i}") for i in ids]


def test_upcoming_lists_what_is_due_within_the_window() -> None:
    store = _Store(
        [
            row("2025-11-10", "expire", "scheduled", "2025-10-20", participants=(), story="s1"),
            row("2025-11-06", "meet", "scheduled", "2025-10-20", article="b", story="s2"),
            row("2025-12-20", "visit", "scheduled", "2025-10-20", article="c", story="s2"),
            row("2026", "purchase", "scheduled", "2025-10-20", participants=(CHINA,), article="d"),
            row("2025-11-01", "deadline", "threatened", "2025-10-12", participants=(TRUMP,), article="e"),
        ]
    )
    items = upcoming(store, TODAY, days=14)
    assert [(i["due"], i["days_left"], i["story_id"]) for i in items] == [
        ("2025-11-06", 1, "s2"),
        ("2025-11-10", 5, "s1"),
    ]
    assert items[0]["story_title"] == "story s2" and items[0]["stories"] == [
        {"id": "s2", "title": "story s2"}
    ]
    assert items[0]["what"] == "Donald Trump and Xi Jinping meet"
