"""Article features and the running sums of a cluster (story or storyline).

An article is described by four things: its dense embedding, a sparse TF-IDF
vector of its terms, a sparse TF-IDF vector of its canonical entity keys and
its publication time. A cluster keeps the *sums* of its articles' vectors, so
the similarity of two groups is the dot product of their mean vectors, which
is exactly the average pairwise similarity of their members (average link)
and costs nothing to update as a cluster grows.

``DocFreq`` holds the document frequencies seen so far. An article's vectors
are weighted with the frequencies as they stood right after the article itself
was counted, so replaying the same articles in the same order rebuilds the
same state exactly, whatever batches they first arrived in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.sparse import csr_matrix

from ..models import Article

# Sparse vectors are keyed by the term's integer id in its ``DocFreq``.
Vector = dict[int, float]


@dataclass(slots=True)
class DocFreq:
    """Document frequencies of the keys seen so far, with stable integer ids.

    With a ``prior`` (key -> share of background documents holding it), the
    stream's counts are smoothed with ``prior_docs`` pseudo-documents.
    """

    n_docs: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)
    prior: Callable[[str], float] | None = None
    prior_docs: float = 0.0
    _prior_df: list[float] = field(default_factory=list)

    def add(self, keys: Iterable[str]) -> list[int]:
        """Count one document holding ``keys``; returns their ids in the same order."""
        self.n_docs += 1
        out = []
        for key in keys:
            i = self.ids.get(key)
            if i is None:
                i = self.ids[key] = len(self.counts)
                self.counts.append(0)
                self._prior_df.append(self.prior(key) * self.prior_docs if self.prior else 0.0)
            self.counts[i] += 1
            out.append(i)
        return out

    def idf(self, i: int) -> float:
        # Smoothed so that a key seen in every document still weighs a little.
        return math.log((self.n_docs + self.prior_docs + 1) / (self.counts[i] + self._prior_df[i] + 1)) + 1.0


def tfidf(counts: Mapping[str, int], df: DocFreq) -> Vector:
    """Count the document in ``df``, then sub-linear TF times IDF, L2-normalised."""
    keys = [k for k, c in counts.items() if c > 0]
    ids = df.add(keys)
    vec = {i: (1.0 + math.log(counts[k])) * df.idf(i) for k, i in zip(keys, ids, strict=True)}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {i: v / norm for i, v in vec.items()} if norm else {}


def entity_counts(article: Article) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in article.mentions:
        counts[m.key] = counts.get(m.key, 0) + 1
    return counts


def timestamp(when: datetime | None) -> float:
    """Seconds since the epoch, NaN when unknown (so array maths skips it)."""
    return when.timestamp() if when is not None else math.nan


@dataclass(slots=True)
class Features:
    """An article's vectors, computed once when it is first counted."""

    dense: np.ndarray
    lexical: Vector
    entities: Vector
    when: float  # timestamp, NaN when unknown
    lang: str


@dataclass(slots=True)
class Cluster:
    """Running sums of a story or a storyline."""

    id: str
    dense_sum: np.ndarray
    lexical: Vector = field(default_factory=dict)
    entities: Vector = field(default_factory=dict)
    first: float = math.nan
    last: float = math.nan
    size: int = 0
    langs: set[str] = field(default_factory=set)
    parent: str | None = None

    def add(self, f: Features) -> None:
        self.dense_sum += f.dense
        for t, v in f.lexical.items():
            self.lexical[t] = self.lexical.get(t, 0.0) + v
        for t, v in f.entities.items():
            self.entities[t] = self.entities.get(t, 0.0) + v
        if not math.isnan(f.when):
            self.first = f.when if math.isnan(self.first) else min(self.first, f.when)
            self.last = f.when if math.isnan(self.last) else max(self.last, f.when)
        self.langs.add(f.lang)
        self.size += 1


def sparse_rows(vectors: list[Vector], width: int, scale: np.ndarray) -> csr_matrix:
    """Stack sparse vectors into a CSR matrix, row ``i`` multiplied by ``scale[i]``."""
    lengths = np.fromiter((len(v) for v in vectors), dtype=np.int64, count=len(vectors))
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    nnz = int(indptr[-1])
    cols = np.empty(nnz, dtype=np.int64)
    vals = np.empty(nnz, dtype=np.float64)
    for v, a, b in zip(vectors, indptr[:-1], indptr[1:], strict=True):
        cols[a:b] = np.fromiter(v.keys(), dtype=np.int64, count=b - a)
        vals[a:b] = np.fromiter(v.values(), dtype=np.float64, count=b - a)
    vals *= np.repeat(scale, lengths)
    return csr_matrix((vals, cols, indptr), shape=(len(vectors), max(width, 1)))
