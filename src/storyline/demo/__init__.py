"""The bundled demo corpus (written for this project) and its gold labels.

``corpus/`` holds raw articles as a user would have them: JSON Lines, scraped
plain-text pages and saved HTML pages, in English and Chinese, with
boilerplate, captions and machine-translation damage. ``gold/*.jsonl`` labels
each article (by its path relative to ``corpus/``, plus ``:LINE`` for JSON
Lines) with its story and storyline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..eval.metrics import cluster_scores
from ..store import Store

_HERE = Path(__file__).resolve().parent


def corpus_dir() -> Path:
    return _HERE / "corpus"


def gold() -> list[dict[str, Any]]:
    rows = []
    for path in sorted((_HERE / "gold").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def relative_origin(origin: str) -> str:
    """An origin as the gold file names it: relative to the corpus folder."""
    path, sep, line = origin.rpartition(":")
    if not line.isdigit():  # not a JSON Lines origin (path:LINE)
        path, sep, line = origin, "", ""
    try:
        rel = Path(path).resolve().relative_to(corpus_dir()).as_posix()
    except ValueError:
        return origin
    return rel + sep + line


def score(store: Store) -> dict[str, Any]:
    """Score what the store holds against the demo's gold labels."""
    placed = {relative_origin(o): ids for o, ids in store.article_origins().items()}
    labels = gold()
    out: dict[str, Any] = {}
    for level, index in (("story", 0), ("storyline", 1)):
        g = {r["origin"]: r[level] for r in labels}
        p = {o: ids[index] for o, ids in placed.items() if ids[index]}
        s = cluster_scores(g, p)
        out["event" if level == "story" else level] = {
            "b3_precision": s.b3_precision,
            "b3_recall": s.b3_recall,
            "b3_f1": s.b3_f1,
            "pairwise_f1": s.pairwise_f1,
            "n_articles": s.n_items,
        }
    # A bilingual story is joined when its English and Chinese coverage meet
    # in one predicted story (an English follow-up split off is an event
    # recall error, which B-cubed counts, not a failure to link languages).
    by_story: dict[str, list[dict[str, Any]]] = {}
    for r in labels:
        by_story.setdefault(r["story"], []).append(r)
    bilingual = [rows for rows in by_story.values() if {"en", "zh"} <= {r.get("lang") for r in rows}]

    def joined(rows: list[dict[str, Any]]) -> bool:
        langs_by_story: dict[str, set[str]] = {}
        for r in rows:
            sid = placed.get(r["origin"], (None,))[0]
            if sid is not None:
                langs_by_story.setdefault(sid, set()).add(r.get("lang", ""))
        return any({"en", "zh"} <= langs for langs in langs_by_story.values())

    out["bilingual_total"] = len(bilingual)
    out["bilingual_joined"] = sum(1 for rows in bilingual if joined(rows))
    return out
