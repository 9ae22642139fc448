"""Everything a brief is built from, read from the store once.

The synthesis modules are pure functions over a ``Material``: they never
touch the store, so each can be tested on a hand-made one and the brief is
built from one consistent read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..models import Article, Story, Storyline
from ..store import Store

__all__ = ["Material", "load_material", "sentence_of"]


@dataclass(slots=True)
class Material:
    """One story as stored, with what its articles say.

    ``notes`` maps each original article's id to its rows by kind (``mentions``,
    ``roles``, ``timexes``, ``quotes``, ``figures``, ``events``; the columns of
    ``Store.annotations``), with speaker and participant keys already mapped
    through the story's name repairs. ``events`` are the rows of
    ``Store.events`` (each with its article, outlet, published date and
    sentence). ``names`` gives the display name of every entity key.
    """

    story: Story
    storyline: Storyline | None
    articles: list[Article]
    notes: dict[str, dict[str, list[dict[str, Any]]]]
    events: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    names: dict[str, str]
    repairs: list[dict[str, str]]
    embeddings: dict[str, np.ndarray]
    today: date
    by_id: dict[str, Article] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}

    @property
    def originals(self) -> list[Article]:
        """The articles that are not syndicated copies, in publication order."""
        return [a for a in self.articles if a.dup_of is None]

    def copies_of(self, article_id: str) -> list[Article]:
        return [a for a in self.articles if a.dup_of == article_id]

    def name(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.names.get(key, key.split(":", 1)[-1])


def sentence_of(article: Article, offset: int) -> tuple[int, int]:
    """The span of the sentence holding ``offset`` (the line, when sentences are missing)."""
    for s in article.sentences:
        if s.start <= offset < s.end:
            return s.start, s.end
    start = article.text.rfind("\n", 0, offset) + 1
    end = article.text.find("\n", offset)
    return start, end if end >= 0 else len(article.text)


def load_material(
    store: Store, story: Story, today: date | None = None, story_ids: list[str] | None = None
) -> Material:
    """The material of ``story``; with ``story_ids``, of those stories read as one (a storyline)."""
    from ..views import entities_view

    story_ids = story_ids or [story.id]
    articles = store.articles(story.article_ids)
    originals = [a.id for a in articles if a.dup_of is None]
    merges = store.merges(story_ids)
    repaired = {src: dst for _, src, dst, _ in merges}
    notes = store.annotations(originals)
    for items in notes.values():
        for m in items["mentions"]:
            m["key"] = repaired.get(m["key"], m["key"])
        for r in items["roles"]:
            r["key"] = repaired.get(r["key"], r["key"])
        for q in items["quotes"]:
            q["speaker_key"] = repaired.get(q["speaker_key"], q["speaker_key"])
        for e in items["events"]:
            e["participants"] = [repaired.get(k, k) for k in e["participants"]]
    entities = entities_view(store, story_ids=story_ids, limit=0)
    line = next((x for x in store.storylines() if x.id == story.storyline_id), None)
    return Material(
        story=story,
        storyline=line,
        articles=articles,
        notes=notes,
        events=store.events(story_ids=story_ids),
        entities=entities,
        names={e["key"]: e["name"] for e in entities},
        repairs=[
            {
                "from": src,
                "to": dst,
                "to_name": next((e["name"] for e in entities if e["key"] == dst), dst),
                "reason": why,
            }
            for _, src, dst, why in merges
        ],
        embeddings=store.embeddings(originals),
        today=today or date.today(),
    )
