"""Stories related to a story: its storyline first, then shared entities and similar coverage.

Cheap by design: entity keys and their counts come from the mention index,
similarity from stored article embeddings (one centroid per story); no
article text is read. Entities named in most stories (China, the United
States) weigh little: each shared key counts by its inverse story frequency.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np

from ..models import Story
from ..store import Store

__all__ = ["related_stories"]

SIMILAR = 0.6  # centroid cosine above which coverage is "similar"
SHARED = 0.25  # share of the story's entity weight that another story must share
_CANDIDATES = 60


def related_stories(
    store: Store, story: Story | str, limit: int = 5, lang: str = "en"
) -> list[dict[str, Any]]:
    """Up to ``limit`` related stories, same storyline first, then by shared entities and similarity.

    Each is ``{"id", "title", "first", "last", "n_articles", "relation", "shared",
    "similarity", "line"}``: ``relation`` is "same storyline", "shared entities" or
    "similar"; ``shared`` the display names (in ``lang`` when written so) of the
    entities both name, most telling first; ``line`` says it in one sentence.
    """
    if isinstance(story, str):
        found = store.story(story)
        if found is None:
            return []
        story = found
    mine = _key_weights(store, [story.id])
    keys = sorted(mine, key=lambda k: -mine[k])[:40]
    rows = store.entity_surfaces(keys=keys) if keys else []
    stories_of: dict[str, set[str]] = {}
    named: Counter[tuple[str, str]] = Counter()  # (key, story) -> articles naming it
    for key, _, _, _, _, sid, _, articles in rows:
        if sid:
            stories_of.setdefault(key, set()).add(sid)
            named[key, sid] += articles
    n_stories = max(1, store.counts()["stories"])
    idf = {k: math.log(1 + n_stories / len(s)) for k, s in stories_of.items()}
    total = sum(idf.get(k, 0.0) for k in keys) or 1.0
    overlap: Counter[str] = Counter()
    for k, sids in stories_of.items():
        for sid in sids - {story.id}:
            overlap[sid] += idf[k]
    line = next((x for x in store.storylines() if x.id == story.storyline_id), None)
    line_ids = set(line.story_ids if line else []) - {story.id}
    candidate_ids = line_ids | {sid for sid, _ in overlap.most_common(_CANDIDATES)}
    if not candidate_ids:
        return []
    candidates = store.stories(ids=sorted(candidate_ids))
    sims = _similarities(store, story, candidates)
    names = _names(rows, lang)
    out = []
    for c in candidates:
        outlets = set(story.outlets) | set(c.outlets)
        # Most telling first: rare across stories and named by many articles of both.
        shared_keys = sorted(
            (
                k
                for k, sids in stories_of.items()
                if c.id in sids and story.id in sids and names.get(k) not in outlets
            ),
            key=lambda k: (-idf[k] * math.log1p(min(named[k, c.id], named[k, story.id])), k),
        )
        share = overlap[c.id] / total
        sim = sims.get(c.id, 0.0)
        if c.id in line_ids:
            relation = "same storyline"
        elif share >= SHARED and len(shared_keys) >= 2:
            relation = "shared entities"
        elif sim >= SIMILAR:
            relation = "similar"
        else:
            continue
        shared = [names.get(k, k.split(":", 1)[-1]) for k in shared_keys[:4]]
        out.append(
            {
                "id": c.id,
                "title": c.title,
                "first": c.first.isoformat() if c.first else None,
                "last": c.last.isoformat() if c.last else None,
                "n_articles": c.n_articles,
                "relation": relation,
                "shared": shared,
                "similarity": round(sim, 3),
                "line": _line(relation, story, c, shared, sim),
                "_rank": (relation != "same storyline", -(share + sim), c.id),
            }
        )
    out.sort(key=lambda r: r["_rank"])
    for r in out:
        del r["_rank"]
    return out[:limit]


def _key_weights(store: Store, story_ids: list[str]) -> dict[str, float]:
    """Entity keys of the stories, weighted by the number of articles naming each."""
    weights: Counter[str] = Counter()
    for key, _, _, _, _, _, _, articles in store.entity_surfaces(story_ids=story_ids):
        weights[key] += articles
    return dict(weights)


def _similarities(store: Store, story: Story, others: list[Story]) -> dict[str, float]:
    """Cosine of each story's embedding centroid with this story's."""
    ids = list(story.article_ids) + [a for s in others for a in s.article_ids]
    vecs = store.embeddings(ids)

    def centroid(s: Story) -> np.ndarray | None:
        found = [vecs[a] for a in s.article_ids if a in vecs]
        if not found:
            return None
        v = np.mean(found, axis=0)
        return v / (np.linalg.norm(v) or 1.0)

    mine = centroid(story)
    if mine is None:
        return {}
    out = {}
    for s in others:
        v = centroid(s)
        if v is not None:
            out[s.id] = float(v @ mine)
    return out


def _names(rows: list[tuple[Any, ...]], lang: str) -> dict[str, str]:
    """The most used surface of each key, preferring those written in articles in ``lang``."""
    counts: dict[str, Counter[str]] = {}
    for key, _, _, surface, art_lang, _, mentions, _ in rows:
        bonus = 1000 if art_lang == lang else 0
        counts.setdefault(key, Counter())[surface] += mentions + bonus
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def _line(relation: str, story: Story, other: Story, shared: list[str], sim: float) -> str:
    """One readable line: "Same storyline, 3 days later; also about Xi Jinping and Donald Trump"."""
    when = _when(story.first, other.first)
    about = _and(shared[:2])
    if relation == "same storyline":
        head = "Same storyline" + (f", {when}" if when else "")
        return head + (f"; also about {about}" if about else "")
    if relation == "shared entities":
        return f"Also about {about}" + (f"; {when}" if when else "")
    return f"Similar coverage ({sim:.2f})" + (f", {when}" if when else "")


def _when(mine: datetime | None, other: datetime | None) -> str:
    if mine is None or other is None:
        return ""
    days = (other.date() - mine.date()).days
    if days == 0:
        return "same day"
    span = abs(days)
    amount = (
        f"{span} day{'s' * (span > 1)}"
        if span < 14
        else f"{span // 7} weeks"
        if span < 60
        else f"{span // 30} months"
    )
    return f"{amount} {'later' if days > 0 else 'earlier'}"


def _and(names: list[str]) -> str:
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
