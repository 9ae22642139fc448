"""Clustering metrics over all items (singletons count).

B-cubed (Bagga and Baldwin 1998): for each item, precision is the share of
its predicted cluster that shares its gold label, recall the share of its gold
cluster that shares its predicted label; averaged over items. Pairwise F1
counts same-cluster pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClusterScores:
    b3_precision: float
    b3_recall: float
    b3_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    n_items: int
    n_gold: int
    n_predicted: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def cluster_scores(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> ClusterScores:
    """Score ``predicted`` against ``gold``; both map item id -> cluster label.

    Items missing from ``predicted`` count as singletons, so a system cannot
    gain by dropping hard items.
    """
    items = list(gold)
    if not items:
        raise ValueError("no gold items to score")
    pred = {i: predicted.get(i, ("__singleton__", i)) for i in items}
    joint = Counter((gold[i], pred[i]) for i in items)
    gold_size = Counter(gold[i] for i in items)
    pred_size = Counter(pred[i] for i in items)

    precision = sum(n * n / pred_size[p] for (_, p), n in joint.items()) / len(items)
    recall = sum(n * n / gold_size[g] for (g, _), n in joint.items()) / len(items)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in joint.values())
    pred_pairs = sum(pairs(n) for n in pred_size.values())
    gold_pairs = sum(pairs(n) for n in gold_size.values())
    pp = tp / pred_pairs if pred_pairs else 1.0
    pr = tp / gold_pairs if gold_pairs else 1.0
    return ClusterScores(
        b3_precision=precision,
        b3_recall=recall,
        b3_f1=_f1(precision, recall),
        pairwise_precision=pp,
        pairwise_recall=pr,
        pairwise_f1=_f1(pp, pr),
        n_items=len(items),
        n_gold=len(gold_size),
        n_predicted=len(pred_size),
    )
