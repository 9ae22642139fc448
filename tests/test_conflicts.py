"""Conflicting claims: titles, numbers, dates and names, on hand-made material and on the seeds."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from storyline import Storyline
from storyline.models import Article, Sentence, Story
from storyline.synth.conflicts import conflicts
from storyline.synth.material import Material, load_material

from .conftest import needs_shared


def _article(aid: str, text: str, outlet: str, day: int) -> Article:
    return Article(
        id=aid,
        origin=aid,
        title=aid,
        text=text,
        outlet=outlet,
        lang="en",
        published=datetime(2025, 10, day, 9),
        sentences=[Sentence(0, len(text), "en")],
    )


def _notes(**rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    kinds = ("mentions", "roles", "timexes", "quotes", "figures", "events")
    return {k: rows.get(k, []) for k in kinds}


def _material(
    articles: list[Article],
    notes: dict[str, dict[str, list[dict[str, Any]]]],
    events: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    repairs: list[dict[str, str]] | None = None,
) -> Material:
    story = Story("s1", None, "t", [a.id for a in articles], None, None, ["en"], [])
    return Material(
        story=story,
        storyline=None,
        articles=articles,
        notes={a.id: notes.get(a.id, _notes()) for a in articles if a.dup_of is None},
        events=events or [],
        entities=entities or [],
        names={"per:he lifeng": "He Lifeng", "per:scott bessent": "Scott Bessent"},
        repairs=repairs or [],
        embeddings={},
        today=date(2025, 11, 1),
    )


def _role(text: str, role: str, key: str = "per:he lifeng") -> dict[str, Any]:
    from storyline.nlp.roles import role_key

    start = text.index(role)
    return {"key": key, "role": role, "role_key": role_key(role), "start": start, "end": start + len(role)}


def _titles(roles_by_article: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """One article per entry: (sentence, role written in it)."""
    articles, notes = [], {}
    for i, (aid, (text, role)) in enumerate(roles_by_article.items()):
        articles.append(_article(aid, text, f"Outlet {aid}", 20 + i))
        notes[aid] = _notes(roles=[_role(text, role)])
    return [c for c in conflicts(_material(articles, notes)) if c["slot"] == "title"]


def test_conflicts_title_two_ranks_of_office_with_majority() -> None:
    found = _titles(
        {
            "a": ("Chinese Vice President He Lifeng arrived.", "Chinese Vice President"),
            "b": ("Chinese Vice-Premier He Lifeng arrived.", "Chinese Vice-Premier"),
            "c": ("China's vice premier He Lifeng arrived.", "China's vice premier"),
        }
    )
    assert len(found) == 1
    c = found[0]
    assert c["subject"] == "He Lifeng"
    assert [(v["value"], v["n_sources"]) for v in c["versions"]] == [
        ("Vice-Premier", 2),
        ("Vice President", 1),
    ]
    assert c["majority"] == "Vice-Premier"
    assert [s["article_id"] for s in c["versions"][0]["sources"]] == ["b", "c"]
    first = c["versions"][1]["sources"][0]
    assert first["outlet"] == "Outlet a" and first["span"] == [0, 22]
    assert first["sentence"] == "Chinese Vice President He Lifeng arrived."
    assert "Vice President" in c["note"] and "Vice-Premier" in c["note"]


def test_conflicts_title_tie_has_no_majority() -> None:
    found = _titles(
        {"a": ("Vice President He said.", "Vice President"), "b": ("Premier He said.", "Premier")}
    )
    assert len(found) == 1 and found[0]["majority"] is None


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("Vice-Premier", "top trade negotiator"),  # two kinds of role
        ("President", "US President"),  # a country prefix
        ("US Treasury Secretary", "Treasury Secretary"),
        ("Treasury Secretary", "Secretary of the Treasury"),
        ("Vice Premier", "vice-premier"),  # casing and hyphen
        ("Prime Minister", "Premier"),  # one office, two names
        ("President", "former vice president"),  # a past office
        ("Vice Premier", "国务院副总理"),  # another language
        ("President", "World Bank President"),  # not an office of state
    ],
)
def test_conflicts_title_variants_are_not_conflicts(one: str, two: str) -> None:
    assert _titles({"a": (f"{one} He said.", one), "b": (f"{two} He said.", two)}) == []


def test_conflicts_title_different_ministries_conflict() -> None:
    found = _titles(
        {
            "a": ("Treasury Secretary Scott Bessent said.", "Treasury Secretary"),
            "b": ("Commerce Secretary Scott Bessent said.", "Commerce Secretary"),
        }
    )
    assert [v["value"] for v in found[0]["versions"]] == ["Treasury Secretary", "Commerce Secretary"]


def test_conflicts_title_self_contradicting_article_drops_out() -> None:
    text = "Vice President He and Premier He met."
    articles = [_article("a", text, "A", 20), _article("b", "Premier He met.", "B", 21)]
    notes = {
        "a": _notes(roles=[_role(text, "Vice President"), _role(text, "Premier")]),
        "b": _notes(roles=[_role("Premier He met.", "Premier")]),
    }
    assert conflicts(_material(articles, notes)) == []


# -- numbers -----------------------------------------------------------------------------------


def _figure(text: str, shown: str, value: float, what: str, unit: str = "t") -> dict[str, Any]:
    start = text.index(shown)
    return {
        "text": shown,
        "kind": "quantity",
        "value": value,
        "unit": unit,
        "what": what,
        "what_start": None,
        "what_end": None,
        "ticker": None,
        "change": None,
        "start": start,
        "end": start + len(shown),
    }


def _timex(text: str, shown: str, value: str) -> dict[str, Any]:
    start = text.index(shown)
    return {
        "start": start,
        "end": start + len(shown),
        "text": shown,
        "type": "DATE",
        "value": value,
        "mod": None,
    }


def _numbers(
    items: dict[str, tuple[str, str, float, str | None]], same_day: bool = True
) -> list[dict[str, Any]]:
    """One article per entry: (sentence, figure text, value, time qualifier text or None)."""
    articles, notes = [], {}
    for i, (aid, (text, shown, value, when)) in enumerate(items.items()):
        articles.append(_article(aid, text, f"Outlet {aid}", 20 if same_day else 20 + i))
        timexes = [_timex(text, when, "2025" if when == "this year" else when)] if when else []
        notes[aid] = _notes(figures=[_figure(text, shown, value, "soybeans")], timexes=timexes)
    return [c for c in conflicts(_material(articles, notes)) if c["slot"] == "number"]


def test_conflicts_number_same_quantity_different_values() -> None:
    found = _numbers(
        {
            "a": (
                "China agreed to buy 12 million tons of US soybeans this year.",
                "12 million tons",
                12e6,
                "this year",
            ),
            "b": (
                "China agreed to buy 12 million tons of US soybeans this year.",
                "12 million tons",
                12e6,
                "this year",
            ),
            "c": (
                "China agreed to buy 15 million tons of US soybeans this year.",
                "15 million tons",
                15e6,
                "this year",
            ),
        }
    )
    assert len(found) == 1
    assert found[0]["majority"] == "12 million tons"
    assert [v["n_sources"] for v in found[0]["versions"]] == [2, 1]


def test_conflicts_number_different_time_qualifier_is_not_a_conflict() -> None:
    assert (
        _numbers(
            {
                "a": (
                    "China agreed to buy 12 million tons of US soybeans this year.",
                    "12 million tons",
                    12e6,
                    "this year",
                ),
                "b": (
                    "China agreed to buy 25 million tons of US soybeans in 2026.",
                    "25 million tons",
                    25e6,
                    "2026",
                ),
            }
        )
        == []
    )


def test_conflicts_number_rounding_is_not_a_conflict() -> None:
    assert (
        _numbers(
            {
                "a": (
                    "China agreed to buy 12 million tons of US soybeans this year.",
                    "12 million tons",
                    12e6,
                    "this year",
                ),
                "b": (
                    "China agreed to buy 12.3 million tons of US soybeans this year.",
                    "12.3 million tons",
                    12.3e6,
                    "this year",
                ),
            }
        )
        == []
    )


def test_conflicts_number_other_context_or_later_update_is_not_a_conflict() -> None:
    other = {
        "a": (
            "China agreed to buy 12 million tons of US soybeans this year.",
            "12 million tons",
            12e6,
            "this year",
        ),
        "b": (
            "Farmers stored 30 million tons of soybeans in silos this year.",
            "30 million tons",
            30e6,
            "this year",
        ),
    }
    assert _numbers(other) == []
    later = {
        "a": (
            "China agreed to buy 12 million tons of US soybeans this year.",
            "12 million tons",
            12e6,
            "this year",
        ),
        "b": (
            "China agreed to buy 15 million tons of US soybeans this year.",
            "15 million tons",
            15e6,
            "this year",
        ),
    }
    assert _numbers(later, same_day=False) == []  # reported a day later: an update


# -- dates -------------------------------------------------------------------------------------


def _event(
    a: Article, trigger: str, when: str, value: str, who: list[str], modality: str = "happened"
) -> dict[str, Any]:
    start = a.text.index(trigger)
    tx = a.text.index(when)
    return {
        "predicate": "meet",
        "date": value,
        "date_end": None,
        "date_inferred": 0,
        "modality": modality,
        "participants": who,
        "trigger": trigger,
        "start": start,
        "end": start + len(trigger),
        "timex_start": tx,
        "timex_end": tx + len(when),
        "lang": "en",
        "article_id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "url": None,
        "story_id": "s1",
        "sentence": a.text,
    }


def _dates(items: list[tuple[str, str, list[str]]]) -> list[dict[str, Any]]:
    """One article per entry: (date written, its value, participants)."""
    articles, events = [], []
    for i, (when, value, who) in enumerate(items):
        a = _article(f"a{i}", f"Trump met Xi in Busan on {when}.", f"Outlet {i}", 31)
        articles.append(a)
        events.append(_event(a, "met", when, value, who))
    return [c for c in conflicts(_material(articles, {}, events=events)) if c["slot"] == "date"]


TRUMP_XI = ["per:donald trump", "per:xi jinping"]


def test_conflicts_date_same_event_two_days() -> None:
    found = _dates(
        [
            ("Oct. 30", "2025-10-30", TRUMP_XI),
            ("Oct. 30", "2025-10-30", TRUMP_XI),
            ("Oct. 29", "2025-10-29", TRUMP_XI),
        ]
    )
    assert len(found) == 1
    c = found[0]
    assert c["majority"] == "2025-10-30"
    assert [(v["value"], v["n_sources"]) for v in c["versions"]] == [("2025-10-30", 2), ("2025-10-29", 1)]
    assert c["versions"][1]["sources"][0]["text"] == "Oct. 29"
    assert "time zone" in c["note"]


@pytest.mark.parametrize(
    "items",
    [
        [("Oct. 30", "2025-10-30", TRUMP_XI), ("October", "2025-10", TRUMP_XI)],  # vague holds precise
        [("Oct. 30", "2025-10-30", TRUMP_XI), ("Oct. 29", "2025-10-29", ["per:ishiba"])],  # other people
        [("Oct. 30", "2025-10-30", TRUMP_XI), ("June 29", "2019-06-29", TRUMP_XI)],  # another meeting
        [("Oct. 30", "2025-10-30", ["loc:china"]), ("Oct. 29", "2025-10-29", ["loc:china"])],  # places only
    ],
)
def test_conflicts_date_non_conflicts(items: list[tuple[str, str, list[str]]]) -> None:
    assert _dates(items) == []


# -- names -------------------------------------------------------------------------------------


def test_conflicts_name_spellings_with_their_articles() -> None:
    texts = {"a": "Scott Besant said so.", "b": "Scott Bessent said so.", "c": "Bessent said so."}
    articles = [_article(aid, t, f"Outlet {aid}", 20 + i) for i, (aid, t) in enumerate(texts.items())]
    notes = {
        aid: _notes(
            mentions=[
                {
                    "start": 0,
                    "end": t.index(" said"),
                    "text": t[: t.index(" said")],
                    "label": "PER",
                    "key": "per:scott bessent",
                }
            ]
        )
        for aid, t in texts.items()
    }
    entities = [
        {
            "key": "per:scott bessent",
            "name": "Scott Bessent",
            "aliases": [
                {"text": "Scott Bessent", "mentions": 1},
                {"text": "Bessent", "mentions": 1},
                {"text": "Scott Besant", "mentions": 1, "repaired_from": "per:scott besant"},
            ],
        }
    ]
    repairs = [
        {
            "from": "per:scott besant",
            "to": "per:scott bessent",
            "to_name": "Scott Bessent",
            "reason": "2 edits",
        }
    ]
    found = conflicts(_material(articles, notes, entities=entities, repairs=repairs))
    assert len(found) == 1
    c = found[0]
    assert (c["slot"], c["subject"], c["majority"]) == ("name", "Scott Bessent", "Scott Bessent")
    assert [(v["value"], [s["article_id"] for s in v["sources"]]) for v in c["versions"]] == [
        ("Scott Bessent", ["b", "c"]),
        ("Scott Besant", ["a"]),
    ]


# -- the seeds -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_material(seeds_db: Path) -> Material:
    """The five seed pages read as one storyline (they form one, in two stories)."""
    with Storyline(db=seeds_db, create=False) as sl:
        stories = sl.stories()
        whole = Story(
            "all", None, "seeds", [a for s in stories for a in s.article_ids], None, None, ["en"], []
        )
        return load_material(sl.store, whole, story_ids=[s.id for s in stories])


@needs_shared
@pytest.mark.slow
def test_conflicts_seeds_he_lifeng_title(seed_material: Material) -> None:
    found = conflicts(seed_material)
    titles = {c["subject"]: c for c in found if c["slot"] == "title"}
    assert set(titles) == {"He Lifeng"}  # none for Trump, Xi or Bessent
    c = titles["He Lifeng"]
    assert c["majority"] == "Vice-Premier"
    premier, president = c["versions"]
    assert president["value"] == "Vice President" and president["n_sources"] == 1
    assert "Vice President He Lifeng" in president["sources"][0]["sentence"]
    assert premier["n_sources"] == 2
    assert {s["text"] for s in premier["sources"]} == {"Chinese Vice-Premier", "Chinese Vice Premier"}
    assert any(s["outlet"] == "Stocktwits" for s in premier["sources"])
    names = {c["subject"]: c for c in found if c["slot"] == "name"}
    assert names["Scott Bessent"]["majority"] == "Scott Bessent"
