"""Story briefs: what the seeds must show, citations that resolve, the cache, HTML safety, the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storyline import Storyline
from storyline.cli import main
from storyline.render import brief_markdown
from storyline.render_html import brief_html

from .conftest import SHARED, needs_shared

# The seeds were published in late October 2025; judge their deadlines as of then.
BEFORE_DEADLINES = date(2025, 10, 26)


@pytest.fixture(scope="module")
def seeds(seeds_db: Path) -> Iterator[tuple[Storyline, dict[str, Any]]]:
    sl = Storyline(db=seeds_db, create=False)
    lines = sl.storylines()
    assert len(lines) == 1
    yield sl, sl.brief(lines[0].id, today=BEFORE_DEADLINES) or {}
    sl.close()


@needs_shared
def test_seeds_timeline_meeting_talks_deadlines_and_the_undated_call(seeds: tuple[Storyline, dict]) -> None:
    _, brief = seeds
    timeline = brief["timeline"]
    busan = [e for e in timeline if e["date"] == "2025-10-30" and e["predicate"] == "meet"]
    assert busan and {"scheduled", "happened"} <= set(busan[0]["modalities"])
    assert {"Donald Trump", "Xi Jinping"} <= {p["name"] for p in busan[0]["participants"]}
    assert any(e["date"] == "2025-10-24" and e["date_end"] == "2025-10-27" for e in timeline)
    calls = [e for e in timeline if not e["date"] and e["predicate"] == "call"]
    assert calls and calls[0]["note"], "the phone call without a date is listed and says so"
    due = {c["due"]: c for c in brief["commitments"]}
    assert due["2025-11-01"]["status"] == "pending" and due["2025-11-10"]["status"] == "pending"
    md = brief_markdown(brief)
    assert "date not given" in md and "2025-11-10" in md


@needs_shared
def test_seeds_deadline_status_moves_with_the_day(seeds: tuple[Storyline, dict]) -> None:
    sl, brief = seeds
    later = sl.brief(brief["id"], today=date(2026, 1, 15)) or {}
    due = {c["due"]: c for c in later["commitments"]}
    assert due["2025-11-10"]["status"] != "pending"
    assert later["built_for"] == "2026-01-15"


@needs_shared
def test_seeds_figures_conflicts_and_repaired_names(seeds: tuple[Storyline, dict]) -> None:
    _, brief = seeds
    soy = {f["value"] for f in brief["figures"] if "soybean" in (f["what"] or "").lower()}
    assert {12_000_000, 25_000_000} <= soy
    assert any(f["value"] == 330_000_000 for f in brief["figures"])
    titles = [c for c in brief["conflicts"] if c["slot"] == "title" and "He Lifeng" in c["subject"]]
    assert titles, "Vice President vs Vice-Premier He Lifeng"
    values = " / ".join(v["value"] for v in titles[0]["versions"]).lower()
    assert "vice president" in values and "premier" in values
    assert not [c for c in brief["conflicts"] if c["slot"] == "title" and "Trump" in c["subject"]]
    repaired = {r["to_name"] for r in brief["repaired_names"]}
    assert {"Scott Bessent", "Karoline Leavitt", "Xi Jinping"} <= repaired


@needs_shared
def test_seeds_quotes_have_the_right_speakers(seeds: tuple[Storyline, dict]) -> None:
    _, brief = seeds
    said = {}
    for q in brief["quotes"]:
        said.setdefault(q["speaker"], []).append(q["text"])
    for speaker, words in [
        ("Donald Trump", "come out pretty good"),
        ("Han Shen Lin", "high-risk, high-reward"),
        ("Dan Wang", "committed to making some concessions"),
        ("Gabriel Wildau", "walk away from a deal"),
        ("Scott Bessent", "on the table"),
    ]:
        assert any(words in t for t in said.get(speaker, [])), (speaker, said.get(speaker))


@needs_shared
def test_seeds_summary_cites_real_sentences(seeds: tuple[Storyline, dict]) -> None:
    sl, brief = seeds
    assert 3 <= len(brief["summary"]) <= 6
    for item in brief["summary"]:
        first = item["citations"][0]
        text = sl.article_texts([first["article_id"]])[first["article_id"]]
        assert text[first["span"][0] : first["span"][1]] == item["text"]
    assert 3 <= len(brief["key_points"]) <= 7


def test_demo_briefs_cite_their_own_articles(demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    for story in sl.stories()[:8]:
        brief = sl.brief(story.id) or {}
        own = {a["id"] for a in brief["articles"]}
        texts = sl.article_texts(sorted(own))
        items = brief["summary"] + brief["key_points"]
        assert items
        for item in items:
            for c in item["citations"]:
                assert c["article_id"] in own
                assert texts[c["article_id"]][c["span"][0] : c["span"][1]].strip()
        for kind in ("timeline", "commitments", "conflicts", "quotes", "figures"):
            for entry in brief[kind]:
                assert all(s["article_id"] in own for s in entry.get("sources", []))


def test_demo_brief_in_chinese_reads_mainly_chinese(demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    story = next(s for s in sl.stories() if {"en", "zh"} <= set(s.langs))
    brief = sl.brief(story.id, lang="zh") or {}
    zh = [s for s in brief["summary"] if s["lang"] == "zh"]
    assert len(zh) >= len(brief["summary"]) / 2
    assert all(s["from_lang"] in (None, "en") for s in brief["summary"])


def test_brief_is_cached_until_its_story_changes(tmp_path: Path, demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    story = sl.stories()[0]
    first = sl.brief(story.id)
    row = sl.store.conn.execute(
        "SELECT built, version FROM briefs WHERE subject = ? AND variant = 'en:extractive'", (story.id,)
    ).fetchone()
    assert row is not None
    assert sl.brief(story.id) == first
    assert (
        sl.store.conn.execute(
            "SELECT built, version FROM briefs WHERE subject = ? AND variant = 'en:extractive'", (story.id,)
        ).fetchone()
        == row
    )
    # Another day is another version: statuses of deadlines depend on it.
    sl.brief(story.id, today=date(2031, 1, 1))
    versions = {
        v
        for (v,) in sl.store.conn.execute(
            "SELECT version FROM briefs WHERE subject = ? AND variant = 'en:extractive'", (story.id,)
        )
    }
    assert len(versions) == 1 and "2031-01-01" in versions.pop()


def test_html_brief_escapes_a_hostile_article(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        "<html><head><title>Trade talks <script>alert(1)</script></title></head><body><article>"
        "<h1>Trade talks resume &lt;img src=x onerror=alert(2)&gt;</h1>"
        "<p>Treasury Secretary Scott Bessent said on Monday that talks with China will resume in Geneva "
        "next week, according to officials &lt;script&gt;alert(3)&lt;/script&gt; familiar with the plan.</p>"
        "<p>“We are making progress,” Bessent told reporters, adding that tariffs of 30% remain in place "
        "while negotiators from both sides meet.</p></article></body></html>",
        encoding="utf-8",
    )
    with Storyline(db=tmp_path / "h.db") as sl:
        sl.ingest([page])
        story = sl.stories()[0]
        brief = sl.brief(story.id) or {}
        html = brief_html(brief, sl.article_texts([a["id"] for a in brief["articles"]]))
    # The words may show, escaped, as text; no tag or attribute from the article may exist.
    assert not re.search(r"<script|<img|<[^>]*\bonerror=", html, re.IGNORECASE)
    assert "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html


def test_cli_show_formats_and_upcoming(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside the repo")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(SHARED / "seeds"), "--db", db]) == 0
    capsys.readouterr()
    assert main(["storylines", "--db", db, "--format", "json"]) == 0
    line = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["show", line, "--db", db, "--format", "json", "--today", "2025-10-26"]) == 0
    brief = json.loads(capsys.readouterr().out)
    assert brief["kind"] == "storyline" and len(brief["stories"]) >= 1
    assert main(["show", line, "--db", db, "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")
    assert main(["upcoming", "--db", db, "--today", "2025-10-26", "--days", "20"]) == 0
    out = capsys.readouterr().out
    assert "2025-11-01" in out and "2025-11-10" in out
    assert main(["show", "nosuchstory", "--db", db]) == 1
    assert "no story or storyline" in capsys.readouterr().err
