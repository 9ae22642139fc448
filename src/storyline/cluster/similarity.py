"""Features for comparing an article with a cluster (story or storyline).

A cluster keeps running sums: the mean of its articles' embeddings, the sum of
their normalised TF-IDF vectors and of their entity vectors, and its time
span. An article is compared on four signals: dense embedding cosine, lexical
cosine, entity cosine and the gap in days between its date and the cluster's
span. ``DocFreq`` holds the document frequencies seen so far; they grow as the
stream does, which keeps the whole thing online and order-deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..models import Article

Vector = dict[str, float]


@dataclass(slots=True)
class DocFreq:
    n_docs: int = 0
    terms: dict[str, int] = field(default_factory=dict)

    def add(self, keys: Iterable[str]) -> None:
        self.n_docs += 1
        for key in keys:
            self.terms[key] = self.terms.get(key, 0) + 1

    def idf(self, key: str) -> float:
        # Smoothed so that a term seen in every document still weighs a little
        # and an unseen one does not dominate.
        return math.log((self.n_docs + 1) / (self.terms.get(key, 0) + 1)) + 1.0


def tfidf(counts: Mapping[str, int], df: DocFreq) -> Vector:
    """Sub-linear TF times IDF, L2-normalised."""
    vec = {t: (1.0 + math.log(c)) * df.idf(t) for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Vector, b: Vector, b_norm: float) -> float:
    """Cosine of a unit vector ``a`` with ``b`` whose norm is given."""
    if not b_norm:
        return 0.0
    if len(a) > len(b):
        small, large = b, a
    else:
        small, large = a, b
    return sum(v * large.get(t, 0.0) for t, v in small.items()) / b_norm


def entity_counts(article: Article) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in article.mentions:
        counts[m.key] = counts.get(m.key, 0) + 1
    return counts


@dataclass(slots=True)
class Features:
    """An article's vectors, computed once per article."""

    dense: np.ndarray
    lexical: Vector
    entities: Vector
    when: datetime | None


@dataclass(slots=True)
class Cluster:
    """Running sums for a story or a storyline."""

    id: str
    dense_sum: np.ndarray
    lexical: Vector = field(default_factory=dict)
    entities: Vector = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    size: int = 0
    parent: str | None = None
    _lex_norm: float = 0.0
    _ent_norm: float = 0.0

    def add(self, f: Features) -> None:
        self.dense_sum = self.dense_sum + f.dense
        for t, v in f.lexical.items():
            self.lexical[t] = self.lexical.get(t, 0.0) + v
        for t, v in f.entities.items():
            self.entities[t] = self.entities.get(t, 0.0) + v
        self._lex_norm = math.sqrt(sum(v * v for v in self.lexical.values()))
        self._ent_norm = math.sqrt(sum(v * v for v in self.entities.values()))
        if f.when is not None:
            self.first = f.when if self.first is None else min(self.first, f.when)
            self.last = f.when if self.last is None else max(self.last, f.when)
        self.size += 1

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.dense_sum))
        return self.dense_sum / norm if norm else self.dense_sum

    def lexical_cos(self, f: Features) -> float:
        return cosine(f.lexical, self.lexical, self._lex_norm)

    def entity_cos(self, f: Features) -> float:
        return cosine(f.entities, self.entities, self._ent_norm)

    def gap_days(self, when: datetime | None) -> float | None:
        """Days between ``when`` and this cluster's span; 0 inside it, None if unknown."""
        if when is None or self.first is None or self.last is None:
            return None
        if when < self.first:
            return (self.first - when).total_seconds() / 86400
        if when > self.last:
            return (when - self.last).total_seconds() / 86400
        return 0.0
