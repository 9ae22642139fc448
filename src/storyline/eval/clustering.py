"""``storyline eval cluster``: score story and storyline clustering on labelled data.

The file is in the format of ``../shared/data/clustering`` (JSON Lines with
``id``, ``title``, ``text``, ``published``, ``source``, ``lang``, ``event``,
``storyline``). Articles go through the full pipeline into a throw-away
database in publication order (file order where undated), as a stream would
deliver them; stories are scored against ``event`` labels and storylines
against ``storyline`` labels.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..models import Article, RawDocument
from ..text.extract import extract, parse_date
from .metrics import cluster_scores


class EvalError(Exception):
    """The evaluation file cannot be used; the message says why."""


def read_jsonl(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line."""
    rows = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise EvalError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise EvalError(f"{path}:{n}: each line must be a JSON object")
                rows.append((n, row))
    except OSError as exc:
        raise EvalError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise EvalError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not rows:
        raise EvalError(f"{path} holds no {what}")
    return rows


def read_labelled(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, row in read_jsonl(path, "articles"):
        if "id" not in row or "text" not in row:
            raise EvalError(f"{path}:{n}: needs at least 'id' and 'text'")
        rows.append(row)
    return rows


def stream_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Publication order; undated articles first, in file order."""
    dates = [parse_date(r.get("published")) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: (dates[i] is not None, dates[i] or 0))
    return [rows[i] for i in order]


def to_raw(row: dict[str, Any]) -> RawDocument:
    hints = {k: row[k] for k in ("title", "published", "source", "lang", "url") if row.get(k)}
    return RawDocument(origin=str(row["id"]), body=row["text"], kind="text", hints=hints)


LEVELS = ("event", "storyline")


def evaluate(
    path: Path,
    level: str | None = None,
    progress: Callable[[int], None] | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """Scores at one level (default: event when the file has event labels)."""
    rows = read_labelled(path)
    level = level or ("event" if any(r.get("event") for r in rows) else "storyline")
    if level not in LEVELS:
        raise EvalError(f"unknown level {level!r}: use 'event' or 'storyline'")
    return evaluate_levels(path, (level,), progress, rows=rows, **settings)[level]


def evaluate_levels(
    path: Path,
    levels: Sequence[str] = LEVELS,
    progress: Callable[[int], None] | None = None,
    rows: list[dict[str, Any]] | None = None,
    **settings: Any,
) -> dict[str, dict[str, Any]]:
    """One run through the pipeline, scored at each level that has labels."""
    from ..facade import Storyline

    rows = rows if rows is not None else read_labelled(path)
    golds = {level: {str(r["id"]): r[level] for r in rows if r.get(level) is not None} for level in levels}
    for level, gold in golds.items():
        if not gold:
            raise EvalError(f"{path} has no {level!r} labels to score against")

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Storyline(db=Path(tmp) / "eval.db", **settings) as sl,
    ):
        report = sl.ingest_documents((to_raw(r) for r in stream_order(rows)), progress)
        placed = sl.store.article_origins()
        # A row whose text repeats an earlier row's is the same article: it
        # was stored once, under the first row's origin.
        by_id = sl.store.article_origins(by="id")
        for r in rows:
            if str(r["id"]) not in placed:
                article = extract(to_raw(r))
                if isinstance(article, Article) and article.id in by_id:
                    placed[str(r["id"])] = by_id[article.id]
    seconds = time.perf_counter() - started

    out = {}
    for level, gold in golds.items():
        index = LEVELS.index(level)
        predicted = {origin: ids[index] for origin, ids in placed.items() if ids[index]}
        scores = cluster_scores(gold, predicted)
        out[level] = {
            "file": str(path),
            "level": level,
            "b3_precision": round(scores.b3_precision, 4),
            "b3_recall": round(scores.b3_recall, 4),
            "b3_f1": round(scores.b3_f1, 4),
            "pairwise_precision": round(scores.pairwise_precision, 4),
            "pairwise_recall": round(scores.pairwise_recall, 4),
            "pairwise_f1": round(scores.pairwise_f1, 4),
            "n_articles": scores.n_items,
            "n_gold_clusters": scores.n_gold,
            "n_predicted_clusters": scores.n_predicted,
            "n_skipped": len(report.skipped),
            "seconds": round(seconds, 2),
        }
    return out
