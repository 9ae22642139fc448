"""Key points: the sentences that carry the story's figures and dates, best supported first.

A fact is a figure's value or a date (of an event, or given to the day),
compared across languages by value ("100%" and "100％" meet, so do "Nov. 1"
and "11月1日"). A sentence is supported by every outlet that states one of
its facts; key points are taken most supported first, each adding a fact,
and none repeating a summary sentence when the summary is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .material import Material
from .summary import MAX_SENTENCES, NEAR_DUPLICATE, Pool, Unit, item, pool, usable

__all__ = ["key_points"]

MIN_POINTS, MAX_POINTS = 3, 7


def key_points(
    material: Material,
    lang: str = "en",
    n: int = MAX_POINTS,
    exclude: Sequence[dict[str, Any]] | None = None,
    pool_: Pool | None = None,
) -> list[dict[str, Any]]:
    """Up to ``n`` (3 to 7) bullets, each a sentence with a figure or a dated event.

    Items are shaped like summary items (``text``, ``lang``, ``from_lang``,
    ``citations``, ``score``) plus ``support``, the number of outlets stating
    one of its facts. Sentences already in ``exclude`` (the summary), or saying
    nearly the same, are left out unless that leaves fewer than three. Fewer
    than three come back only when the story has fewer facts.
    """
    n = max(MIN_POINTS, min(MAX_POINTS, n))
    p = pool_ or pool(material)
    taken = _rows_of(p, exclude or [])
    facts = {i: _facts(u) for i, u in enumerate(p.units)}
    outlets: dict[str, set[str]] = {}
    for i, u in enumerate(p.units):
        if not u.copy:
            for v in facts[i]:
                outlets.setdefault(v, set()).add(u.article.outlet or u.article.id)
    own_values = set().union(*(p.units[i].fact_values for i in usable(p, lang)))
    candidates = []
    for i in usable(p):
        u = p.units[i]
        if not facts[i]:
            continue
        # Another language's sentence only for a fact nothing in the reader's language states.
        if u.lang != lang and not (u.news - own_values):
            continue
        support = len(set().union(*(outlets.get(v, set()) for v in facts[i])))
        candidates.append((support, u.prior + (0.2 if u.lang == lang else 0.0), i))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
    # Each candidate's closest summary sentence or point so far, widened as points are taken: a
    # handful of products over all candidates instead of one per candidate looked at.
    rows = [i for _, _, i in candidates]
    near = p.sims(rows, taken).max(axis=1) if rows and taken else np.zeros(len(rows))
    chosen: list[tuple[int, int, float]] = []
    seen: set[str] = set()
    for j, (support, score, i) in enumerate(candidates):
        if len(chosen) >= n:
            break
        if not (facts[i] - seen) or near[j] >= 0.8 * NEAR_DUPLICATE:
            continue
        chosen.append((i, support, score))
        seen |= facts[i]
        near = np.maximum(near, p.sims(rows, [i])[:, 0])
    if len(chosen) < MIN_POINTS and taken:
        # A short story's facts may all sit in the summary: the points then repeat its fact-bearing
        # sentences rather than leave the reader without the figures and dates at a glance.
        picked = {i for i, _, _ in chosen}
        for support, score, i in candidates:
            if len(chosen) >= MIN_POINTS:
                break
            if i not in picked and facts[i] - seen:
                chosen.append((i, support, score))
                seen |= facts[i]
    out = []
    for i, support, score in chosen:
        point = item(p, i, score, lang)
        point["support"] = support
        out.append(point)
    return out


def _facts(u: Unit) -> set[str]:
    """Figure values, and dates given to the day or to an event."""
    days = {d.rsplit(":", 1)[-1] for d in u.dates if d.startswith("D:") or len(d) >= len("T:2025-01-01")}
    return {f.split(":")[2] for f in u.figures} | days


def _rows_of(p: Pool, items: Sequence[dict[str, Any]]) -> list[int]:
    """The pool rows of items given back by ``summarize`` (their first citation)."""
    spans = {(c["article_id"], tuple(c["span"])) for it in items for c in (it.get("citations") or [])[:1]}
    return [i for i, u in enumerate(p.units) if (u.article.id, (u.start, u.end)) in spans][:MAX_SENTENCES]
