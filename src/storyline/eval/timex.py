"""``evaluate``: TempEval-3 Task A style scores for temporal expressions.

The file is JSON Lines with ``id``, ``dct``, ``text`` and gold ``timexes``
(``start``, ``end``, ``value``...). Relaxed matching counts any overlap,
strict matching exact offsets; value accuracy is the share of relaxed-matched
gold expressions whose predicted value is exactly right, and value F1 is
relaxed F1 times that share, as TempEval-3 reports it.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..nlp.timex import Timex, find_timexes
from .clustering import EvalError, read_labelled

__all__ = ["EvalError", "evaluate", "match", "parse_dct"]


def parse_dct(raw: Any) -> date | datetime | None:
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(str(raw))
    except ValueError:
        raise EvalError(f"unreadable document date {raw!r}") from None
    return parsed if "T" in str(raw) or " " in str(raw).strip() else parsed.date()


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(gold: list[dict[str, Any]], predicted: list[Timex]) -> dict[int, int]:
    """Gold index -> predicted index, one-to-one, preferring exact then largest overlap."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g["end"], p.end) - max(g["start"], p.start)
            if overlap > 0:
                exact = g["start"] == p.start and g["end"] == p.end
                pairs.append((not exact, -overlap, gi, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def evaluate(path: Path, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Scores over the file; ``errors`` (when given) collects missed, spurious and wrong-value cases."""
    rows = read_labelled(path)
    n_gold = n_pred = relaxed = strict = right_value = 0
    started = time.perf_counter()
    for n, row in enumerate(rows, 1):
        gold = row.get("timexes")
        if not isinstance(gold, list) or any(
            not isinstance(g, dict) or not {"start", "end", "value"} <= g.keys() for g in gold
        ):
            raise EvalError(f"{path}: row {n} needs 'timexes' with 'start', 'end' and 'value'")
        predicted = find_timexes(row["text"], parse_dct(row.get("dct")), row.get("lang") or "en")
        pairs = match(gold, predicted)
        n_gold += len(gold)
        n_pred += len(predicted)
        relaxed += len(pairs)
        for gi, pi in pairs.items():
            g, p = gold[gi], predicted[pi]
            strict += g["start"] == p.start and g["end"] == p.end
            right_value += g["value"] == p.value
            if errors is not None and g["value"] != p.value:
                errors.append({"kind": "value", "id": row["id"], "dct": row.get("dct"), "gold": g, "pred": p})
        if errors is not None:
            for gi, g in enumerate(gold):
                if gi not in pairs:
                    errors.append({"kind": "missed", "id": row["id"], "dct": row.get("dct"), "gold": g})
            used = set(pairs.values())
            for pi, p in enumerate(predicted):
                if pi not in used:
                    errors.append({"kind": "spurious", "id": row["id"], "dct": row.get("dct"), "pred": p})
    seconds = time.perf_counter() - started
    rp, rr, rf = _prf(relaxed, n_pred, relaxed, n_gold)
    _, _, sf = _prf(strict, n_pred, strict, n_gold)
    accuracy = right_value / relaxed if relaxed else 0.0
    return {
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": rf,
        "strict_f1": sf,
        "value_accuracy": accuracy,
        "value_f1": rf * accuracy,
        "n_docs": len(rows),
        "n_gold": n_gold,
        "n_predicted": n_pred,
        "seconds": seconds,
    }
