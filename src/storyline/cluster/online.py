"""Online clustering: each article joins the best story or opens a new one.

Stories are compared with an article only inside a time window around the
article's own publication date (not its arrival), so a late report lands in
the story it belongs to. Candidates come from the dense vectors (one matrix
product over the story centroids), then each is scored on dense, lexical,
entity and time signals. A new story links to the best storyline under a
looser, longer-range score, or opens one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..ids import story_id, storyline_id
from ..models import Article
from .similarity import Cluster, DocFreq, Features, entity_counts, tfidf


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """Weights and thresholds; one set of defaults for every language."""

    w_dense: float = 0.45
    w_lexical: float = 0.35
    w_entity: float = 0.20
    story_threshold: float = 0.42
    story_window_days: float = 7.0
    storyline_threshold: float = 0.30
    storyline_window_days: float = 120.0
    time_penalty: float = 0.10
    candidates: int = 30


@dataclass(slots=True)
class Assignment:
    story_id: str
    storyline_id: str
    new_story: bool
    new_storyline: bool


class _Index:
    """Clusters plus a growing matrix of their centroids for fast candidate search."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self.by_id: dict[str, int] = {}
        self._mat = np.zeros((64, 512), dtype=np.float32)

    def add(self, cluster: Cluster) -> None:
        i = len(self.clusters)
        if i == len(self._mat):
            self._mat = np.vstack([self._mat, np.zeros_like(self._mat)])
        self.clusters.append(cluster)
        self.by_id[cluster.id] = i
        self._mat[i] = cluster.centroid

    def refresh(self, cluster: Cluster) -> None:
        self._mat[self.by_id[cluster.id]] = cluster.centroid

    def candidates(self, f: Features, window_days: float, k: int) -> list[Cluster]:
        n = len(self.clusters)
        if not n:
            return []
        sims = self._mat[:n] @ f.dense
        if f.when is not None:
            for i, c in enumerate(self.clusters):
                gap = c.gap_days(f.when)
                if gap is not None and gap > window_days:
                    sims[i] = -np.inf
        # Stable order on ties keeps the result deterministic.
        order = np.argsort(-sims, kind="stable")[:k]
        return [self.clusters[i] for i in order if np.isfinite(sims[i])]


class OnlineClusterer:
    def __init__(self, params: ClusterParams | None = None) -> None:
        self.params = params or ClusterParams()
        self.df = DocFreq()
        self.edf = DocFreq()
        self.stories = _Index()
        self.storylines = _Index()

    def features(self, article: Article) -> Features:
        if article.embedding is None:
            raise ValueError(f"article {article.id} has no embedding")
        ents = entity_counts(article)
        self.df.add(article.terms)
        self.edf.add(ents)
        return Features(
            dense=article.embedding,
            lexical=tfidf(article.terms, self.df),
            entities=tfidf(ents, self.edf),
            when=article.published,
        )

    def score(self, cluster: Cluster, f: Features, window_days: float) -> float:
        p = self.params
        dense = float(cluster.centroid @ f.dense)
        s = p.w_dense * dense + p.w_lexical * cluster.lexical_cos(f)
        if f.entities and cluster.entities:
            s += p.w_entity * cluster.entity_cos(f)
        else:
            # Without entities on one side, judge on the other signals alone.
            s /= p.w_dense + p.w_lexical
            s *= p.w_dense + p.w_lexical + p.w_entity
        gap = cluster.gap_days(f.when)
        if gap is not None:
            s -= p.time_penalty * min(gap / window_days, 1.0)
        return s

    def _best(self, index: _Index, f: Features, window: float, threshold: float) -> Cluster | None:
        best, best_score = None, threshold
        for c in index.candidates(f, window, self.params.candidates):
            s = self.score(c, f, window)
            if s > best_score:
                best, best_score = c, s
        return best

    def add(self, article: Article) -> Assignment:
        p = self.params
        f = self.features(article)
        story = self._best(self.stories, f, p.story_window_days, p.story_threshold)
        new_story = story is None
        new_storyline = False
        if story is None:
            story = Cluster(id=story_id(article.id), dense_sum=np.zeros_like(f.dense))
            line = self._best(self.storylines, f, p.storyline_window_days, p.storyline_threshold)
            if line is None:
                line = Cluster(id=storyline_id(story.id), dense_sum=np.zeros_like(f.dense))
                line.add(f)
                self.storylines.add(line)
                new_storyline = True
            else:
                line.add(f)
                self.storylines.refresh(line)
            story.parent = line.id
            story.add(f)
            self.stories.add(story)
        else:
            story.add(f)
            self.stories.refresh(story)
            assert story.parent is not None
            line = self.storylines.clusters[self.storylines.by_id[story.parent]]
            line.add(f)
            self.storylines.refresh(line)
        article.story_id = story.id
        return Assignment(story.id, line.id, new_story, new_storyline)

    def add_all(self, articles: Iterable[Article]) -> list[Assignment]:
        return [self.add(a) for a in articles]
