"""Related stories on the demo corpus: the storyline first, then shared entities and similar coverage."""

from __future__ import annotations

from storyline import Storyline
from storyline.synth.related import related_stories


def test_same_storyline_comes_first(demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    lines = [line for line in sl.store.storylines() if len(line.story_ids) >= 3]
    assert lines
    for line in lines:
        story = sl.store.story(line.story_ids[0])
        assert story is not None
        related = related_stories(sl.store, story, limit=10)
        relations = [r["relation"] for r in related]
        n_same = relations.count("same storyline")
        assert n_same == len(line.story_ids) - 1, line.id
        assert relations[:n_same] == ["same storyline"] * n_same
        assert {r["id"] for r in related[:n_same]} == set(line.story_ids) - {story.id}
        assert story.id not in {r["id"] for r in related}


def test_related_rows_are_complete_and_readable(demo_db: tuple[Storyline, object]) -> None:
    sl, _ = demo_db
    story = max(sl.store.stories(), key=lambda s: s.n_articles)
    related = related_stories(sl.store, story.id, limit=2)
    assert 1 <= len(related) <= 2
    for r in related:
        assert set(r) == {
            "id",
            "title",
            "first",
            "last",
            "n_articles",
            "relation",
            "shared",
            "similarity",
            "line",
        }
        assert r["relation"] in ("same storyline", "shared entities", "similar")
        assert r["line"] and r["line"][0].isupper()
        assert -1.0 <= r["similarity"] <= 1.0
        assert all(isinstance(n, str) and n for n in r["shared"])
    assert related_stories(sl.store, "no-such-story") == []
