"""``evaluate``: the stance classifier against labelled posts.

The file is JSON Lines with ``text`` and a gold ``label`` (positive,
skeptical, negative or neutral), and optionally ``lang`` and ``split``.
``split`` restricts the rows scored (``tests/gold/stance.jsonl`` has a
``dev`` part the lexicons were tuned on and a ``test`` part that was written
first and never tuned on). Scores are overall and per language: accuracy,
macro-F1 over the four labels, per-label precision, recall and F1, and the
confusion matrix (gold rows, predicted columns). A bad line is counted and
skipped, never raised.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..nlp.stance import LABELS, classify
from .clustering import EvalError

__all__ = ["EvalError", "evaluate", "format_report", "score"]


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label P/R/F1 and confusion for paired label lists."""
    pairs = Counter(zip(gold, predicted, strict=True))
    n = len(gold)
    per_label = {}
    for label in LABELS:
        tp = pairs[(label, label)]
        n_pred = sum(c for (_, p), c in pairs.items() if p == label)
        n_gold = sum(c for (g, _), c in pairs.items() if g == label)
        p, r, f = _prf(tp, n_pred, n_gold)
        per_label[label] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "n": n_gold}
    correct = sum(c for (g, p), c in pairs.items() if g == p)
    return {
        "n": n,
        "accuracy": round(correct / n, 3) if n else 0.0,
        "macro_f1": round(sum(v["f1"] for v in per_label.values()) / len(LABELS), 3),
        "labels": per_label,
        "confusion": {g: {p: pairs[(g, p)] for p in LABELS} for g in LABELS},
    }


def evaluate(path: Path, split: str | None = None) -> dict[str, Any]:
    """Scores overall and per language on the rows of ``split`` (all rows when None)."""
    rows: list[tuple[str, str, str]] = []
    skipped = 0
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    for line in lines:
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (json.JSONDecodeError, KeyError, TypeError):
            skipped += 1
            continue
        if label not in LABELS or not isinstance(text, str):
            skipped += 1
        elif split is None or row.get("split") == split:
            rows.append((text, label, row.get("lang") or "und"))
    if not rows:
        wanted = f" of split {split!r}" if split else ""
        raise EvalError(
            f"{path}: no labelled posts{wanted} (lines need 'text' and a 'label' in {', '.join(LABELS)})"
        )
    from ..embed import encode

    # One batch through the encoder: the classifier reads the post's embedding.
    vectors = encode([text for text, _, _ in rows])
    predicted = [classify(text, vector=vec).label for (text, _, _), vec in zip(rows, vectors, strict=True)]
    out = score([g for _, g, _ in rows], predicted)
    out["split"] = split or "all"
    out["skipped"] = skipped
    out["by_lang"] = {}
    for lang in sorted({lg for _, _, lg in rows}):
        idx = [i for i, (_, _, lg) in enumerate(rows) if lg == lang]
        out["by_lang"][lang] = score([rows[i][1] for i in idx], [predicted[i] for i in idx])
    return out


def format_report(scores: dict[str, Any]) -> str:
    lines = [
        f"stance ({scores['split']}): {scores['n']} posts, accuracy {scores['accuracy']:.3f}, "
        f"macro-F1 {scores['macro_f1']:.3f}"
        + (f", {scores['skipped']} bad lines" if scores["skipped"] else "")
    ]
    for lang, sub in scores["by_lang"].items():
        lines.append(
            f"  {lang}: {sub['n']} posts, accuracy {sub['accuracy']:.3f}, macro-F1 {sub['macro_f1']:.3f}"
        )
    lines.append(f"  {'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label, v in scores["labels"].items():
        lines.append(f"  {label:<10} {v['precision']:>6.3f} {v['recall']:>6.3f} {v['f1']:>6.3f} {v['n']:>5}")
    lines.append("  confusion (gold rows, predicted columns):")
    lines.append("  " + " " * 10 + "".join(f"{p[:5]:>7}" for p in LABELS))
    for g, row in scores["confusion"].items():
        lines.append(f"  {g:<10}" + "".join(f"{row[p]:>7}" for p in LABELS))
    return "\n".join(lines)
