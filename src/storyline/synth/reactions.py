"""How reactions to a story split: counts and shares per stance, with representative posts.

Representatives per stance are the posts the classifier is surest of, one
per author so a single loud account does not speak for everyone; ties go to
the earlier post. Replies and quotes count like any post: agreeing or
arguing under a news post is a reaction too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..nlp.stance import LABELS

__all__ = ["reactions"]

PER_STANCE = 3


def _rank_key(row: dict[str, Any]) -> tuple[float, str, str]:
    return (-(row.get("stance_score") or 0.0), row.get("posted") or "\uffff", row.get("id") or "")


def reactions(posts_rows: Sequence[dict[str, Any]], per_stance: int = PER_STANCE) -> dict[str, Any]:
    """``{"n", "stances": {label: {"count", "share"}}, "langs", "representative": {label: [post]}}``.

    Rows are dicts as ``storyline.store.posts.story_posts`` returns them;
    each representative has ``text``, ``author``, ``url``, ``posted``,
    ``lang`` and ``stance_score``. Shares are rounded to 0.001 and are 0.0
    for a story without posts.
    """
    n = len(posts_rows)
    counts = Counter(row["stance"] for row in posts_rows)
    representative: dict[str, list[dict[str, Any]]] = {}
    for label in LABELS:
        chosen: list[dict[str, Any]] = []
        authors: set[str | None] = set()
        seen_texts: set[str] = set()
        for row in sorted((r for r in posts_rows if r["stance"] == label), key=_rank_key):
            author = row.get("author")
            if (author is not None and author in authors) or row["text"] in seen_texts:
                continue
            authors.add(author)
            seen_texts.add(row["text"])
            chosen.append(
                {k: row.get(k) for k in ("text", "author", "url", "posted", "lang", "stance_score")}
            )
            if len(chosen) == per_stance:
                break
        representative[label] = chosen
    return {
        "n": n,
        "stances": {
            label: {"count": counts[label], "share": round(counts[label] / n, 3) if n else 0.0}
            for label in LABELS
        },
        "langs": dict(sorted(Counter(row.get("lang") or "und" for row in posts_rows).items())),
        "representative": representative,
    }
