"""Average-link agglomeration of a batch of new groups onto frozen clusters.

The batch's groups (single articles, or the new stories of a batch when
storylines are formed) may merge with each other or join an existing cluster;
two existing clusters never merge, because their ids are already stored. Pairs
are merged best first while the best score clears the threshold, as in
ordinary agglomerative clustering, so what the batch decides does not depend
on the order of its articles and a pair that belongs together is found even
when neither was seen first.

Every signal is a dot product of mean vectors (average link), so merging two
nodes updates their similarities exactly by the size-weighted mean of the two
rows (Lance-Williams); only the cheap per-pair parts, languages, entity
presence and time gap, are recomputed from the merged node's attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .similarity import Vector, sparse_rows

DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Level:
    """How one level (story or storyline) scores a pair of groups."""

    w_dense: float
    w_lexical: float
    w_entity: float
    threshold: float
    window_days: float
    time_penalty: float
    # Subtracted when either side has no date: its time gap cannot be checked,
    # and unrelated events of one topic read alike without it.
    undated_penalty: float


@dataclass(slots=True)
class Nodes:
    """Groups to compare: mean vectors and the attributes the scores need."""

    dense: np.ndarray  # (n, dim) mean embeddings
    lexical: list[Vector]  # summed TF-IDF vectors (divided by size when compared)
    entities: list[Vector]  # summed entity vectors
    size: np.ndarray  # articles per group
    first: np.ndarray  # timestamps, NaN when undated
    last: np.ndarray
    langs: list[frozenset[str]]

    def __len__(self) -> int:
        return len(self.size)

    @staticmethod
    def concat(a: Nodes, b: Nodes) -> Nodes:
        return Nodes(
            dense=np.vstack([a.dense, b.dense]),
            lexical=a.lexical + b.lexical,
            entities=a.entities + b.entities,
            size=np.concatenate([a.size, b.size]),
            first=np.concatenate([a.first, b.first]),
            last=np.concatenate([a.last, b.last]),
            langs=a.langs + b.langs,
        )


def _lang_masks(langs: list[frozenset[str]]) -> np.ndarray:
    # An undetermined language is compatible with every other.
    names = sorted({x for s in langs for x in s} - {"und"})
    bit = {x: 1 << i for i, x in enumerate(names)}
    every = (1 << max(len(names), 1)) - 1
    return np.array([every if "und" in s or not s else sum(bit[x] for x in s) for s in langs], dtype=np.int64)


class _Merger:
    """Rows are the batch's groups, columns all nodes (batch first, then frozen)."""

    def __init__(self, batch: Nodes, frozen: Nodes, level: Level, width: int) -> None:
        self.level = level
        self.g = len(batch)
        nodes = Nodes.concat(batch, frozen)
        self.size = nodes.size.astype(np.float64)
        self.first = nodes.first.copy()
        self.last = nodes.last.copy()
        self.lang = _lang_masks(nodes.langs)
        self.has_ent = np.array([bool(e) for e in nodes.entities])
        self.dense = batch.dense.astype(np.float64) @ nodes.dense.T.astype(np.float64)
        inv = 1.0 / self.size
        lex = sparse_rows(nodes.lexical, width, inv)
        self.lex = (lex[: self.g] @ lex.T).toarray()
        ents = sparse_rows(nodes.entities, width, inv)
        self.ent = (ents[: self.g] @ ents.T).toarray()
        self.alive = np.ones(len(nodes), dtype=bool)
        self.score = self._score(np.arange(self.g), np.arange(len(nodes)))
        # A group never merges with itself.
        self.score[np.arange(self.g), np.arange(self.g)] = -np.inf

    def _score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        lv = self.level
        r, c = rows[:, None], cols[None, :]
        both_ent = self.has_ent[r] & self.has_ent[c]
        same_lang = (self.lang[r] & self.lang[c]) != 0
        # Across languages the words cannot match; shared entity keys stand in
        # for them when both sides have some.
        use_lex = same_lang | ~both_ent
        num = lv.w_dense * self.dense[r, c] + np.where(use_lex, lv.w_lexical * self.lex[r, c], 0)
        num = num + np.where(both_ent, lv.w_entity * self.ent[r, c], 0)
        den = lv.w_dense + lv.w_lexical * use_lex + lv.w_entity * both_ent
        s = num / den
        with np.errstate(invalid="ignore"):
            gap = np.maximum(self.first[c] - self.last[r], self.first[r] - self.last[c]) / DAY
        undated = np.isnan(gap)
        gap = np.where(undated, 0.0, np.maximum(gap, 0.0))
        s = s - lv.time_penalty * np.minimum(gap / lv.window_days, 1.0) - lv.undated_penalty * undated
        s[gap > lv.window_days] = -np.inf
        s[:, ~self.alive[cols]] = -np.inf
        s[~self.alive[rows], :] = -np.inf
        return s

    def _absorb(self, into: int, src: int) -> None:
        """Fold batch group ``src`` into node ``into`` (a batch group or a frozen node)."""
        n_i, n_s = self.size[into], self.size[src]
        total = n_i + n_s
        g = self.g
        for m in (self.dense, self.lex, self.ent):
            m[:, into] = (n_i * m[:, into] + n_s * m[:, src]) / total
            if into < g:
                m[into, :] = (n_i * m[into, :] + n_s * m[src, :]) / total
        self.size[into] = total
        self.first[into] = np.fmin(self.first[into], self.first[src])
        self.last[into] = np.fmax(self.last[into], self.last[src])
        self.lang[into] |= self.lang[src]
        self.has_ent[into] |= self.has_ent[src]
        self.alive[src] = False
        self.score[src, :] = -np.inf
        self.score[:, src] = -np.inf
        rows = np.arange(g)
        self.score[:, into] = self._score(rows, np.array([into]))[:, 0]
        if into < g:
            self.score[into, :] = self._score(np.array([into]), np.arange(len(self.size)))[0]
            self.score[into, into] = -np.inf

    def run(self) -> np.ndarray:
        owner = np.arange(self.g)
        while self.score.size:
            flat = int(np.argmax(self.score))
            r, c = divmod(flat, self.score.shape[1])
            if not self.score[r, c] > self.level.threshold:
                break
            if c < self.g:
                # Keep the earlier group as the survivor: ids follow arrival order.
                into, src = min(r, c), max(r, c)
            else:
                into, src = c, r
            self._absorb(into, src)
            owner[owner == src] = into
        return owner


def agglomerate(batch: Nodes, frozen: Nodes, level: Level, width: int) -> np.ndarray:
    """For each batch group, the node it ends in.

    A value below ``len(batch)`` is the index of the batch group that heads a
    new cluster (the earliest of its groups); a value ``len(batch) + j`` means
    it joined frozen cluster ``j``. ``width`` bounds the sparse ids.
    """
    if not len(batch):
        return np.zeros(0, dtype=np.int64)
    return _Merger(batch, frozen, level, width).run()
