"""Online clustering of a stream of articles into stories and storylines.

Articles arrive in order and are decided a mini-batch at a time; once an
article is assigned, the assignment is final. For each batch:

1. Every article is counted in the document frequencies and gets its vectors,
   in arrival order.
2. Stories: the batch's articles are clustered together with the existing
   stories that are near them (average link, best pair first). An article may
   join an existing story, or found a new story with other batch articles.
3. Storylines: the batch's new stories are clustered the same way, with a
   looser, longer-range score, together with the existing storylines.

Existing clusters are candidates only inside a time window around the
*article's* publication time (not its arrival), so a late report lands in the
story it belongs to. Candidates come from one matrix product over the
clusters' mean embeddings; the exact scores combine dense, lexical, entity and
time signals (see ``agglomerate``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..ids import story_id, storyline_id
from ..models import Article
from .agglomerate import DAY, Level, Nodes, agglomerate
from .prior import background_share
from .similarity import Cluster, DocFreq, Features, Vector, entity_counts, tfidf, timestamp


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """Weights and thresholds; one set of defaults for every language.

    Scores are weighted means of average-link similarities, so a threshold
    means the same for one article as for a group.
    """

    # Events: lexical detail separates two events of one kind; entities link
    # languages; the embedding alone lumps an event with its whole topic.
    w_dense: float = 0.2
    w_lexical: float = 0.5
    w_entity: float = 0.25
    story_threshold: float = 0.22
    # Coverage of one event clusters within days; a storyline's next event
    # (the talks, then the summit a week later) is another story.
    story_window_days: float = 7.0
    story_time_penalty: float = 0.2
    # An undated pair needs this much more evidence: without dates, two
    # rounds of one negotiation differ only in detail (the seed articles).
    story_undated_penalty: float = 0.15
    # Storylines: topic words carry them; the embedding and entities only
    # nudge, or every story of one kind (all earthquakes) becomes one line.
    line_w_dense: float = 0.12
    line_w_lexical: float = 0.76
    line_w_entity: float = 0.12
    storyline_threshold: float = 0.13
    storyline_window_days: float = 3650.0
    storyline_time_penalty: float = 0.05
    candidates: int = 20
    batch_size: int = 128
    # Background pseudo-documents behind the term IDF (0: the stream's own only).
    prior_docs: float = 300.0

    @property
    def story_level(self) -> Level:
        return Level(
            self.w_dense,
            self.w_lexical,
            self.w_entity,
            self.story_threshold,
            self.story_window_days,
            self.story_time_penalty,
            self.story_undated_penalty,
        )

    @property
    def storyline_level(self) -> Level:
        return Level(
            self.line_w_dense,
            self.line_w_lexical,
            self.line_w_entity,
            self.storyline_threshold,
            self.storyline_window_days,
            self.storyline_time_penalty,
            # A storyline spans events; undated stories are judged on content.
            0.0,
        )


@dataclass(slots=True)
class Assignment:
    story_id: str
    storyline_id: str
    new_story: bool
    new_storyline: bool


@dataclass(slots=True)
class _Index:
    """Clusters of one level, with their mean embeddings and spans as arrays."""

    dim: int
    clusters: list[Cluster] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    _dense: np.ndarray = field(init=False)
    _span: np.ndarray = field(init=False)  # (n, 2): first, last timestamps

    def __post_init__(self) -> None:
        self._dense = np.zeros((64, self.dim), dtype=np.float32)
        self._span = np.full((64, 2), math.nan)

    def __len__(self) -> int:
        return len(self.clusters)

    def get(self, cid: str) -> Cluster:
        return self.clusters[self.by_id[cid]]

    def create(self, cid: str) -> Cluster:
        i = len(self.clusters)
        if i == len(self._dense):
            self._dense = np.vstack([self._dense, np.zeros_like(self._dense)])
            self._span = np.vstack([self._span, np.full_like(self._span, math.nan)])
        cluster = Cluster(id=cid, dense_sum=np.zeros(self.dim, dtype=np.float64))
        self.clusters.append(cluster)
        self.by_id[cid] = i
        return cluster

    def add(self, cluster: Cluster, f: Features) -> None:
        cluster.add(f)
        i = self.by_id[cluster.id]
        self._dense[i] = cluster.dense_sum / cluster.size
        self._span[i] = (cluster.first, cluster.last)

    def candidates(
        self, dense: np.ndarray, first: np.ndarray, last: np.ndarray, window_days: float, k: int
    ) -> list[int]:
        """Clusters among the ``k`` nearest (by mean embedding) of any query, inside its window.

        ``dense`` holds one query per row, ``first``/``last`` their spans.
        """
        n = len(self.clusters)
        if not n or not len(dense):
            return []
        sims = self._dense[:n] @ dense.T.astype(np.float32)
        with np.errstate(invalid="ignore"):
            gap = (
                np.maximum(
                    self._span[:n, 0, None] - last[None, :],
                    first[None, :] - self._span[:n, 1, None],
                )
                / DAY
            )
        sims[gap > window_days] = -np.inf
        k = min(k, n)
        # Stable sort keeps ties in creation order, so the result is deterministic.
        top = np.argsort(-sims, axis=0, kind="stable")[:k]
        keep = np.isfinite(np.take_along_axis(sims, top, axis=0))
        return sorted({int(i) for i in top[keep]})

    def nodes(self, idx: Sequence[int]) -> Nodes:
        cs = [self.clusters[i] for i in idx]
        return _nodes(
            [c.dense_sum for c in cs],
            [c.lexical for c in cs],
            [c.entities for c in cs],
            [c.size for c in cs],
            [c.first for c in cs],
            [c.last for c in cs],
            [frozenset(c.langs) for c in cs],
            self.dim,
        )


def _nodes(
    dense_sums: list[np.ndarray],
    lex: list[Vector],
    ents: list[Vector],
    sizes: list[int],
    first: list[float],
    last: list[float],
    langs: list[frozenset[str]],
    dim: int,
) -> Nodes:
    n = np.array(sizes, dtype=np.float64)
    dense = np.array(dense_sums, dtype=np.float64).reshape(len(sizes), dim)
    return Nodes(
        dense=dense / n[:, None] if len(n) else dense,
        lexical=lex,
        entities=ents,
        size=n,
        first=np.array(first, dtype=np.float64),
        last=np.array(last, dtype=np.float64),
        langs=langs,
    )


def _group(features: list[Features], dim: int) -> tuple[np.ndarray, Vector, Vector]:
    """Sums of a new group's vectors."""
    dense = np.zeros(dim, dtype=np.float64)
    lex: Vector = {}
    ents: Vector = {}
    for f in features:
        dense += f.dense
        for t, v in f.lexical.items():
            lex[t] = lex.get(t, 0.0) + v
        for t, v in f.entities.items():
            ents[t] = ents.get(t, 0.0) + v
    return dense, lex, ents


class OnlineClusterer:
    """Assigns each article to a story and each story to a storyline, in stream order."""

    def __init__(self, params: ClusterParams | None = None, dim: int = 512) -> None:
        self.params = params or ClusterParams()
        self.dim = dim
        self.df = DocFreq(
            prior=background_share if self.params.prior_docs else None,
            prior_docs=self.params.prior_docs,
        )
        self.edf = DocFreq()
        self.stories = _Index(dim)
        self.storylines = _Index(dim)

    def features(self, article: Article) -> Features:
        """Count ``article`` in the document frequencies and return its vectors."""
        if article.embedding is None:
            raise ValueError(f"article {article.id} has no embedding")
        if len(article.embedding) != self.dim:
            raise ValueError(f"article {article.id}: embedding of size {len(article.embedding)}")
        return Features(
            dense=np.asarray(article.embedding, dtype=np.float64),
            lexical=tfidf(article.terms, self.df),
            entities=tfidf(entity_counts(article), self.edf),
            when=timestamp(article.published),
            lang=article.lang,
        )

    def add(self, article: Article) -> Assignment:
        return self.add_batch([article])[0]

    def add_all(self, articles: Iterable[Article]) -> list[Assignment]:
        """Everything, in batches of ``params.batch_size``."""
        out: list[Assignment] = []
        batch: list[Article] = []
        for a in articles:
            batch.append(a)
            if len(batch) == self.params.batch_size:
                out.extend(self.add_batch(batch))
                batch = []
        out.extend(self.add_batch(batch))
        return out

    def add_batch(self, articles: Sequence[Article]) -> list[Assignment]:
        """Decide a batch of articles together; assignments in the same order."""
        feats = [self.features(a) for a in articles]
        if not feats:
            return []
        story_of = self._stories(feats, [a.id for a in articles])
        line_of, new_lines = self._storylines(feats, story_of)
        out: list[Assignment] = []
        founded: set[str] = set()
        # Sums change only now, in arrival order: exactly what ``restore`` replays.
        for a, f, (sid, is_new) in zip(articles, feats, story_of, strict=True):
            lid = line_of[sid]
            self._apply(f, sid, lid)
            new_line = lid in new_lines and lid not in founded
            founded.add(lid)
            out.append(Assignment(sid, lid, is_new and sid not in founded, new_line))
            founded.add(sid)
            a.story_id = sid
        return out

    def restore(self, article: Article, story_id: str, storyline_id: str) -> None:
        """Replay a stored decision without re-deciding it.

        Articles must be replayed in their original ingest order; the state
        then equals the one that made the decisions.
        """
        self._apply(self.features(article), story_id, storyline_id)
        article.story_id = story_id

    def _apply(self, f: Features, sid: str, lid: str) -> None:
        line = self.storylines.get(lid) if lid in self.storylines.by_id else None
        if line is None:
            line = self.storylines.create(lid)
        self.storylines.add(line, f)
        story = self.stories.get(sid) if sid in self.stories.by_id else None
        if story is None:
            story = self.stories.create(sid)
            story.parent = lid
        self.stories.add(story, f)

    @property
    def _width(self) -> int:
        return max(len(self.df.counts), len(self.edf.counts))

    def _stories(self, feats: list[Features], ids: list[str]) -> list[tuple[str, bool]]:
        """(story id, is new) per article."""
        p = self.params
        batch = _nodes(
            [f.dense for f in feats],
            [f.lexical for f in feats],
            [f.entities for f in feats],
            [1] * len(feats),
            [f.when for f in feats],
            [f.when for f in feats],
            [frozenset((f.lang,)) for f in feats],
            self.dim,
        )
        cand = self.stories.candidates(
            batch.dense, batch.first, batch.last, p.story_window_days, p.candidates
        )
        owner = agglomerate(batch, self.stories.nodes(cand), p.story_level, self._width)
        g = len(feats)
        out: list[tuple[str, bool]] = []
        for o in owner:
            if o >= g:
                out.append((self.stories.clusters[cand[o - g]].id, False))
            else:
                # A new story is named after its first article.
                out.append((story_id(ids[o]), True))
        return out

    def _storylines(
        self, feats: list[Features], story_of: list[tuple[str, bool]]
    ) -> tuple[dict[str, str], set[str]]:
        """Storyline per story id of the batch, and the ids of new storylines."""
        p = self.params
        line_of: dict[str, str] = {}
        members: dict[str, list[Features]] = {}
        for f, (sid, is_new) in zip(feats, story_of, strict=True):
            if is_new:
                members.setdefault(sid, []).append(f)
            elif sid not in line_of:
                parent = self.stories.get(sid).parent
                assert parent is not None
                line_of[sid] = parent
        new = list(members)  # in order of their first article
        if not new:
            return line_of, set()
        groups = [_group(members[s], self.dim) for s in new]
        whens = [[f.when for f in members[s] if not math.isnan(f.when)] for s in new]
        batch = _nodes(
            [d for d, _, _ in groups],
            [x for _, x, _ in groups],
            [e for _, _, e in groups],
            [len(members[s]) for s in new],
            [min(w) if w else math.nan for w in whens],
            [max(w) if w else math.nan for w in whens],
            [frozenset(f.lang for f in members[s]) for s in new],
            self.dim,
        )
        cand = self.storylines.candidates(
            batch.dense, batch.first, batch.last, p.storyline_window_days, p.candidates
        )
        owner = agglomerate(batch, self.storylines.nodes(cand), p.storyline_level, self._width)
        g = len(new)
        fresh: set[str] = set()
        for s, o in zip(new, owner, strict=True):
            if o >= g:
                line_of[s] = self.storylines.clusters[cand[o - g]].id
            else:
                line_of[s] = storyline_id(new[o])
                fresh.add(line_of[s])
        return line_of, fresh
