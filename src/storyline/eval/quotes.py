"""``evaluate``: PolNeAR-style scores for quotation and attribution extraction.

The file is JSON Lines with ``id``, ``text`` and gold ``attributions``, each
``{"source": [[s, e], ...], "cue": [...], "content": [...]}`` with character
offsets; a role may be missing or discontinuous. Optional ``lang`` (default
"en") picks the rules.

How predictions are compared with the gold:

- Tokens are runs of letters and digits (each CJK character on its own), so
  quotation marks, commas and spaces never decide a match.
- A content is the set of tokens inside any of its pieces. The extractor
  returns one ``Quote`` per contiguous piece; quotes sharing a cue span are
  one predicted attribution ('"...," he said, "..."').
- A predicted content matches a gold content when
  ``overlap / max(|gold|, |predicted|) >= 0.5`` (in tokens); pairs are matched
  one to one, greedily, best ratio first. An exact match has the same tokens.
- Source accuracy is over matched pairs: right when the predicted source
  overlaps a gold source piece, or when the gold has no source and neither
  has the prediction. Giving an unattributed claim a speaker is an error like
  any other, and it is rare enough (6% of the gold) not to dominate.
- Cues match one to one on any character overlap.
- Kinds: a gold content is direct when it opens with a quotation mark and
  closes with one (trailing punctuation aside). Recall per kind is over the
  gold of that kind, precision over the predictions of that kind, both from
  the overall matching.

``docs_per_second`` times the extraction only (sentence splitting included).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..nlp.quotes import Quote, find_quotes
from .clustering import EvalError, read_labelled

__all__ = ["EvalError", "evaluate", "format_report", "is_direct", "match_contents"]

_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W_]+")
_OPENING = ("“", "”", '"', "''", "‘", "«", "「", "『")
_CLOSING = ("”", "“", '"', "''", "’", "»", "」", "』")
_TRAILING = " \t\n\u00a0.,;:!?)"
_KINDS = ("direct", "indirect")

Spans = list[tuple[int, int]]


def _token_set(starts: list[int], spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """Indexes of the tokens (by start offset) that start inside any of ``spans``."""
    out: set[int] = set()
    for s, e in spans:
        out.update(range(bisect_left(starts, s), bisect_left(starts, e)))
    return frozenset(out)


def _overlaps(a: Iterable[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


def is_direct(text: str, pieces: Spans) -> bool:
    """Whether gold content ``pieces`` sit inside quotation marks."""
    if not pieces:
        return False
    first = text[pieces[0][0] : pieces[0][1]].lstrip()
    last = text[pieces[-1][0] : pieces[-1][1]].rstrip(_TRAILING)
    return first.startswith(_OPENING) and last.endswith(_CLOSING)


def match_contents(gold: list[frozenset[int]], predicted: list[frozenset[int]]) -> dict[int, int]:
    """Gold index -> predicted index, one to one, best overlap ratio first (ratio >= 0.5)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if g and p:
                ratio = len(g & p) / max(len(g), len(p))
                if ratio >= 0.5:
                    pairs.append((-ratio, gi, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def _cue_hits(gold: list[Spans], predicted: list[Spans]) -> int:
    """One-to-one matches on any character overlap, in text order."""
    used: set[int] = set()
    for g in gold:
        pi = next((pi for pi, p in enumerate(predicted) if pi not in used and _overlaps(g, p)), None)
        if pi is not None:
            used.add(pi)
    return len(used)


def _prf(hits_p: int, n_p: int, hits_g: int, n_g: int) -> tuple[float, float, float]:
    p = hits_p / n_p if n_p else 0.0
    r = hits_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _spans(raw: Any, where: str) -> Spans:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(
        isinstance(x, list) and len(x) == 2 and all(isinstance(v, int) for v in x) for x in raw
    ):
        raise EvalError(f"{where}: spans must be lists of [start, end] integer pairs")
    return sorted((s, e) for s, e in raw)


def _gold(row: dict[str, Any], where: str) -> list[dict[str, Spans]]:
    attributions = row.get("attributions")
    if not isinstance(attributions, list) or not all(isinstance(a, dict) for a in attributions):
        raise EvalError(f"{where}: needs a list of 'attributions' objects")
    gold = [
        {role: _spans(a.get(role), f"{where} {role}") for role in ("source", "cue", "content")}
        for a in attributions
    ]
    return [g for g in gold if g["content"]]


def _group(quotes: Sequence[Quote]) -> list[list[Quote]]:
    """Predicted attributions: quotes sharing a cue span are pieces of one."""
    groups: dict[tuple[int, int], list[Quote]] = {}
    for q in quotes:
        groups.setdefault((q.cue_start, q.cue_end), []).append(q)
    return list(groups.values())


@dataclass
class _Tally:
    """Counts summed over documents."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    source_right: int = 0
    cue_gold: int = 0
    cue_pred: int = 0
    cue_hits: int = 0
    seconds: float = 0.0
    kind_gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    kind_pred: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    kind_hit_gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    kind_hit_pred: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))


def _score_doc(row: dict[str, Any], where: str, tally: _Tally, errors: list[dict[str, Any]] | None) -> None:
    text = row["text"]
    gold = _gold(row, where)
    started = time.perf_counter()
    groups = _group(find_quotes(text, row.get("lang") or "en"))
    tally.seconds += time.perf_counter() - started

    starts = [m.start() for m in _TOKEN.finditer(text)]
    gold_tokens = [_token_set(starts, g["content"]) for g in gold]
    pred_tokens = [_token_set(starts, [(q.start, q.end) for q in grp]) for grp in groups]
    pairs = match_contents(gold_tokens, pred_tokens)
    gold_kinds = ["direct" if is_direct(text, g["content"]) else "indirect" for g in gold]
    pred_kinds = [grp[0].kind for grp in groups]

    tally.gold += len(gold)
    tally.pred += len(groups)
    tally.matched += len(pairs)
    for kind in gold_kinds:
        tally.kind_gold[kind] += 1
    for kind in pred_kinds:
        tally.kind_pred[kind] += 1
    for gi, pi in pairs.items():
        tally.exact += gold_tokens[gi] == pred_tokens[pi]
        tally.kind_hit_gold[gold_kinds[gi]] += 1
        tally.kind_hit_pred[pred_kinds[pi]] += 1
        source = [
            (q.source_start, q.source_end)
            for q in groups[pi]
            if q.source_start is not None and q.source_end is not None
        ]
        right = _overlaps(gold[gi]["source"], source[:1]) if gold[gi]["source"] else not source
        tally.source_right += right
        if errors is not None and not right:
            errors.append({"kind": "source", "id": row["id"], "gold": gold[gi], "pred": groups[pi]})
    gold_cues = [g["cue"] for g in gold if g["cue"]]
    tally.cue_gold += len(gold_cues)
    tally.cue_pred += len(groups)
    tally.cue_hits += _cue_hits(gold_cues, [[(grp[0].cue_start, grp[0].cue_end)] for grp in groups])
    if errors is not None:
        errors.extend(
            {"kind": "missed", "id": row["id"], "gold": g, "gold_kind": gold_kinds[gi]}
            for gi, g in enumerate(gold)
            if gi not in pairs
        )
        used = set(pairs.values())
        errors.extend(
            {"kind": "spurious", "id": row["id"], "pred": grp}
            for pi, grp in enumerate(groups)
            if pi not in used
        )


def evaluate(path: Path, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Scores over the file; ``errors`` (when given) collects missed, spurious and wrong-source cases."""
    rows = read_labelled(path)
    tally = _Tally()
    for n, row in enumerate(rows, 1):
        _score_doc(row, f"{path}: row {n}", tally, errors)
    p, r, f = _prf(tally.matched, tally.pred, tally.matched, tally.gold)
    _, _, exact_f = _prf(tally.exact, tally.pred, tally.exact, tally.gold)
    _, _, cue_f = _prf(tally.cue_hits, tally.cue_pred, tally.cue_hits, tally.cue_gold)
    scores: dict[str, Any] = {
        "content_f1": f,
        "content_precision": p,
        "content_recall": r,
        "exact_content_f1": exact_f,
        "source_accuracy": tally.source_right / tally.matched if tally.matched else 0.0,
        "cue_f1": cue_f,
    }
    for kind in _KINDS:
        kp, kr, kf = _prf(
            tally.kind_hit_pred[kind], tally.kind_pred[kind], tally.kind_hit_gold[kind], tally.kind_gold[kind]
        )
        scores |= {f"{kind}_content_f1": kf, f"{kind}_content_precision": kp, f"{kind}_content_recall": kr}
    return scores | {
        "n_docs": len(rows),
        "n_gold": tally.gold,
        "n_predicted": tally.pred,
        "n_matched": tally.matched,
        "seconds": tally.seconds,
        "docs_per_second": len(rows) / tally.seconds if tally.seconds else 0.0,
    }


def format_report(scores: dict[str, Any]) -> str:
    """The scores as a few lines for people."""
    lines = [
        f"{scores['n_docs']} documents, {scores['n_gold']} gold attributions, "
        f"{scores['n_predicted']} predicted ({scores['docs_per_second']:.0f} documents/s)"
    ]
    for label, key in (
        ("content", "content"),
        ("direct", "direct_content"),
        ("indirect", "indirect_content"),
    ):
        lines.append(
            f"  {label:<9} P {scores[f'{key}_precision']:.3f}  R {scores[f'{key}_recall']:.3f}"
            f"  F1 {scores[f'{key}_f1']:.3f}"
        )
    lines.append(
        f"  exact content F1 {scores['exact_content_f1']:.3f}, cue F1 {scores['cue_f1']:.3f}, "
        f"source accuracy {scores['source_accuracy']:.3f} over {scores['n_matched']} matched contents"
    )
    return "\n".join(lines)
