"""What articles say, end to end: stored with spans, shown by show/entities/entity/timeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.cli import main
from storyline.models import RawDocument

from .conftest import needs_shared

EN = (
    "Treasury Secretary Scott Bessent will meet Chinese Vice Premier He Lifeng in Kuala Lumpur "
    "on October 25, the Treasury Department said on Tuesday.\n\n"
    '"We expect a productive conversation," Bessent told reporters at the White House. '
    "He said the talks would cover soybeans and rare earths.\n\n"
    "China agreed to buy 12 million metric tons of soybeans this year, according to officials "
    "familiar with the plan. Washington also threatened 100% tariffs on Chinese goods from November 1."
)
ZH = (
    "美国财政部长贝森特将于10月25日在吉隆坡与中国国务院副总理何立峰举行会谈。\n\n"
    "何立峰表示，双方将就大豆采购和稀土出口管制等问题交换意见。"
    "据报道，中方今年将采购1200万吨美国大豆。"
)


def _docs() -> list[RawDocument]:
    hints = {"published": "2025-10-21T09:00:00+00:00"}
    return [
        RawDocument("wire:en", EN, hints={**hints, "title": "Bessent to meet He Lifeng in Kuala Lumpur"}),
        RawDocument("wire:zh", ZH, hints={**hints, "title": "贝森特将与何立峰在吉隆坡会谈"}),
    ]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("understand") / "s.db"
    with Storyline(db=path, workers=0) as sl:
        report = sl.ingest_documents(_docs())
        assert report.ingested == 2, [str(p) for p in report.problems]
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_show_json_ties_every_item_to_its_source(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Storyline(db=small_db, create=False) as sl:
        texts = {a.id: a.text for a in sl.articles([a for s in sl.stories() for a in s.article_ids])}
        story = sl.stories()[0]
    view = _json(capsys, "show", story.id, "--db", str(small_db), "--format", "json")
    assert isinstance(view, dict)
    for section in ("entities", "timeline", "quotes", "figures", "articles"):
        assert view[section], section
    for q in view["quotes"]:
        start, end = q["span"]
        assert texts[q["article_id"]][start:end] == q["text"]
    for f in view["figures"]:
        start, end = f["span"]
        assert texts[f["article_id"]][start:end] == f["text"]
    for entry in view["timeline"]:
        for src in entry["sources"]:
            start, end = src["span"]
            assert texts[src["article_id"]][start:end] == src["sentence"]


def test_show_finds_the_meeting_quote_and_figures(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Storyline(db=small_db, create=False) as sl:
        story = sl.stories()[0]
    view = _json(capsys, "show", story.id, "--db", str(small_db), "--format", "json")
    assert isinstance(view, dict)
    meet = [e for e in view["timeline"] if e["date"] == "2025-10-25" and e["predicate"] == "meet"]
    assert meet and meet[0]["status"] == "scheduled"
    assert {"per:scott bessent", "per:he lifeng"} <= {p["key"] for p in meet[0]["participants"]}
    assert {e["date"] for e in view["timeline"]} >= {"2025-10-25", "2025-11-01"}
    speakers = {q["speaker_key"] for q in view["quotes"]}
    assert "per:scott bessent" in speakers
    values = {(f["unit"], f["value"]) for f in view["figures"]}
    assert ("t", 12e6) in values and ("%", 100.0) in values


def test_entity_command_joins_languages_and_keeps_roles(
    small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = _json(capsys, "entity", "贝森特", "--db", str(small_db), "--format", "json")
    assert isinstance(view, dict)
    assert view["key"] == "per:scott bessent"
    assert {"en", "zh"} <= set(view["langs"])
    roles = " ".join(r["role"] for r in view["roles"])
    assert "Treasury Secretary" in roles and "财政部长" in roles
    assert all(s["article_id"] for r in view["roles"] for s in r["sources"])


def test_entities_command_filters_by_type(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "entities", "--type", "person", "--db", str(small_db), "--format", "json")
    assert isinstance(rows, list)
    assert rows and all(r["type"] == "person" for r in rows)
    assert {"per:scott bessent", "per:he lifeng"} <= {r["key"] for r in rows}
    assert main(["entities", "--db", str(small_db)]) == 0
    assert "Scott Bessent" in capsys.readouterr().out


def test_timeline_by_entity_and_errors(small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = _json(capsys, "timeline", "--entity", "He Lifeng", "--db", str(small_db), "--format", "json")
    assert isinstance(entries, list)
    assert entries and all(any(p["key"] == "per:he lifeng" for p in e["participants"]) for e in entries)
    assert main(["timeline", "nosuchstory", "--db", str(small_db)]) == 1
    assert "no story" in capsys.readouterr().err
    assert main(["entity", "Nobody Atall", "--db", str(small_db)]) == 1
    assert "no entity" in capsys.readouterr().err


def test_user_alias_file_joins_a_name_the_table_does_not_know(tmp_path: Path) -> None:
    aliases = tmp_path / "mine.tsv"
    aliases.write_text(
        "key\ttype\tnames\nmaria kowalczyk\tper\tMaria Kowalczyk|玛丽亚·科瓦尔奇克\n", encoding="utf-8"
    )
    docs = [
        RawDocument(
            "a",
            "Mayor Maria Kowalczyk opened the new river bridge on Monday, two years after work began.",
            hints={"title": "Bridge opens"},
        ),
        RawDocument(
            "b",
            "市长玛丽亚·科瓦尔奇克周一为新建的跨河大桥剪彩。这座大桥两年前开工，全长一千二百米，连接城市东西两岸。",
            hints={"title": "跨河大桥通车"},
        ),
    ]
    with Storyline(db=tmp_path / "a.db", workers=0, aliases=str(aliases)) as sl:
        sl.ingest_documents(docs)
        view = sl.entity("玛丽亚·科瓦尔奇克")
    assert view is not None and view["key"] == "per:maria kowalczyk"
    assert view["articles"] == 2


def test_unreadable_alias_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("name,type\n", encoding="utf-8")
    with pytest.raises(ValueError, match="STORYLINE_ALIASES"):
        Storyline(db=tmp_path / "x.db", aliases=str(bad))
    with pytest.raises(ValueError, match="cannot read"):
        Storyline(db=tmp_path / "x.db", aliases=str(tmp_path / "missing.tsv"))


# -- the seeds: five real pages about the 2025 US-China talks -----------------------------------


def _seed_timeline(db: Path) -> list[dict]:
    with Storyline(db=db, create=False) as sl:
        (line,) = sl.storylines()
        return sl.timeline(storyline_id=line.id)


@needs_shared
def test_seeds_names_are_repaired_with_reasons(seeds_db: Path) -> None:
    with Storyline(db=seeds_db, create=False) as sl:
        for name, key, wrong in (
            ("Scott Besant", "per:scott bessent", "Scott Besant"),
            ("Carolyn Levitt", "per:karoline leavitt", "Carolyn Levitt"),
            ("Shi", "per:xi jinping", "Shi"),
        ):
            view = sl.entity(name)
            assert view is not None and view["key"] == key, (name, view and view["key"])
            repaired = [a for a in view["aliases"] if a["text"] == wrong]
            assert repaired and repaired[0].get("reason"), (name, view["aliases"])


@needs_shared
def test_seeds_timeline_has_the_meetings_and_deadlines(seeds_db: Path) -> None:
    entries = _seed_timeline(seeds_db)
    by_date: dict[str, list[dict]] = {}
    for e in entries:
        by_date.setdefault(e["date"], []).append(e)
    busan = [e for e in by_date.get("2025-10-30", []) if e["predicate"] == "meet"]
    assert busan, sorted(by_date)
    assert busan[0]["modalities"][0] == "scheduled" and busan[0]["status"] == "happened"
    assert {"per:donald trump", "per:xi jinping"} <= {p["key"] for p in busan[0]["participants"]}
    talks = [e for e in entries if e["date"] == "2025-10-24" and e["date_end"] == "2025-10-27"]
    assert talks, [(e["date"], e["date_end"], e["predicate"]) for e in entries]
    assert any(
        e["modalities"] == ["threatened"] or "threatened" in e["modalities"] for e in by_date["2025-11-01"]
    )
    assert by_date.get("2025-11-10"), sorted(by_date)


@needs_shared
def test_seeds_figures_are_found_with_their_sources(seeds_db: Path) -> None:
    with Storyline(db=seeds_db, create=False) as sl:
        figures = [f for s in sl.stories() for f in (sl.story_view(s.id) or {})["figures"]]
    found = {(f["unit"], f["value"], f["what"]) for f in figures}
    assert any(unit == "t" and value == 12e6 for unit, value, _ in found), found
    assert any(unit == "t" and value == 25e6 for unit, value, _ in found), found
    assert any(unit == "USD" and value == 330e6 and what and "arms" in what for unit, value, what in found), (
        found
    )
    assert all(f["article_id"] and f["sentence"] for f in figures)
