"""The ordered per-article stages and the stream driver.

Per-article stages are pure (no store, no state beyond loaded models), so a
distributed engine can run them later; each declares what it needs and adds,
and the order is checked when the pipeline is built. The stateful steps,
near-duplicate detection and clustering, run after them, then the batch is
committed in one transaction.

A stage that fails on a batch is retried one article at a time, so one
poisonous article is reported and dropped while the rest of the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import BinaryIO, TypeVar

from . import dedupe, embed
from .cluster.online import OnlineClusterer
from .config import Config
from .ingest.files import iter_raw
from .models import Article, IngestReport, Problem, RawDocument
from .nlp.entities import EntityTagger
from .store import Store
from .text.extract import extract
from .text.lang import tag_languages
from .text.sentences import split_sentences
from .text.terms import add_terms

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    run: Callable[[list[Article]], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    # Syndicated copies are shown but never clustered: the expensive stages
    # that only feed clustering skip them.
    copies_too: bool = False


def build_stages(config: Config) -> list[Stage]:
    tagger = EntityTagger()

    def each(fn: Callable[[Article], None]) -> Callable[[list[Article]], None]:
        def run(articles: list[Article]) -> None:
            for a in articles:
                fn(a)

        return run

    stages = [
        Stage("language", each(tag_languages), ("text", "paragraphs"), ("lang",), True),
        Stage("sentences", each(split_sentences), ("lang",), ("sentences",), True),
        Stage(
            "entities",
            lambda arts: tagger.tag(arts, max_chars=config.entity_chars),
            ("lang",),
            ("mentions",),
        ),
        Stage("terms", add_terms, ("text",), ("terms",)),
        Stage(
            "embedding",
            lambda arts: embed.embed_articles(arts, max_chars=config.embed_chars),
            ("text",),
            ("embedding",),
        ),
    ]
    check_order(stages)
    return stages


def check_order(stages: Sequence[Stage]) -> None:
    """Fail at start-up, not mid-stream, when a stage runs before what it needs."""
    have = {"text", "paragraphs", "title", "published"}
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise RuntimeError(f"stage {stage.name!r} needs {missing} before it runs")
        have.update(stage.assigns)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Pipeline:
    """Runs documents through the stages into the store, batch by batch."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.stages = build_stages(config)
        self.deduper = dedupe.Deduper(config.dedupe_threshold)
        self.clusterer = OnlineClusterer()
        self._line_of_story: dict[str, str] = {}
        self._restore()

    def _restore(self) -> None:
        """Rebuild the stateful stages from what is stored, as if they had seen it all."""
        self.deduper.load(self.store.iter_minhashes())
        for article, sid, line_id in self.store.iter_cluster_state():
            self.clusterer.restore(article, sid, line_id)
            self._line_of_story[sid] = line_id

    def ingest(
        self,
        paths: Sequence[str | Path],
        stdin: BinaryIO | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        raws = iter_raw(paths, stdin=stdin, max_bytes=int(self.config.max_file_mb * 1_000_000))
        return self.run(raws, progress)

    def run(
        self,
        items: Iterable[RawDocument | Problem],
        progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for batch in batched(items, self.config.batch_size):
            self._run_batch(batch, report)
            if progress:
                progress(len(batch))
        report.seconds = time.perf_counter() - started
        self.store.record_run(stamp, summary(report))
        return report

    def _timed(self, report: IngestReport, name: str, fn: Callable[[], T]) -> T:
        t = time.perf_counter()
        try:
            return fn()
        finally:
            report.stage_seconds[name] = report.stage_seconds.get(name, 0.0) + time.perf_counter() - t

    def _run_batch(self, batch: list[RawDocument | Problem], report: IngestReport) -> None:
        report.seen += len(batch)
        articles = self._timed(report, "extract", lambda: self._extract(batch, report))
        minhashes = self._timed(report, "dedupe", lambda: self._dedupe(articles, report))
        for stage in self.stages:
            articles = self._timed(report, stage.name, lambda s=stage: self._apply(s, articles, report))
        storyline_of = self._timed(report, "cluster", lambda: self._cluster(articles))
        created, updated = self._timed(
            report, "store", lambda: self.store.write_batch(articles, minhashes, storyline_of)
        )
        report.ingested += len(articles)
        report.stories_created += created
        report.stories_updated += updated

    def _extract(self, batch: list[RawDocument | Problem], report: IngestReport) -> list[Article]:
        articles: list[Article] = []
        for item in batch:
            result = item if isinstance(item, Problem) else extract(item)
            if isinstance(result, Problem):
                report.problems.append(result)
                continue
            report.problems.extend(Problem(result.origin, w, fatal=False) for w in result.warnings)
            articles.append(result)
        # Re-ingesting the same input changes nothing: drop what is stored and
        # repeats within the batch before any expensive stage runs.
        known = self.store.known_ids(a.id for a in articles)
        fresh: list[Article] = []
        for a in articles:
            if a.id in known:
                report.unchanged += 1
            else:
                known.add(a.id)
                fresh.append(a)
        return fresh

    def _apply(self, stage: Stage, articles: list[Article], report: IngestReport) -> list[Article]:
        todo = articles if stage.copies_too else [a for a in articles if a.dup_of is None]
        try:
            stage.run(todo)
            return articles
        except Exception:  # noqa: BLE001 - isolate the article that breaks the stage
            failed: set[str] = set()
            for a in todo:
                try:
                    stage.run([a])
                except Exception as exc:  # noqa: BLE001
                    failed.add(a.id)
                    report.problems.append(Problem(a.origin, f"{stage.name} failed: {exc}"))
            for a in articles:
                if a.dup_of in failed:
                    failed.add(a.id)
                    report.problems.append(Problem(a.origin, f"copy of {a.dup_of}, which failed"))
            for aid in failed:
                self.deduper.forget(aid)
            return [a for a in articles if a.id not in failed]

    def _dedupe(self, articles: list[Article], report: IngestReport) -> dict[str, bytes]:
        minhashes: dict[str, bytes] = {}
        for a in articles:
            mh = dedupe.signature(a)
            original = self.deduper.original_of(mh)
            if original is None:
                self.deduper.add(a.id, mh)
                minhashes[a.id] = dedupe.to_bytes(mh)
            else:
                a.dup_of = original
                report.duplicates += 1
        return minhashes

    def _cluster(self, articles: list[Article]) -> dict[str, str]:
        storyline_of: dict[str, str] = {}
        originals = [a for a in articles if a.dup_of is None]
        # The batch is decided together: articles of one new event that arrive
        # in the same batch find each other before they meet older stories.
        for a, assignment in zip(originals, self.clusterer.add_batch(originals), strict=True):
            a.story_id = assignment.story_id
            self._line_of_story[assignment.story_id] = assignment.storyline_id
            storyline_of[assignment.story_id] = assignment.storyline_id
        story_of_batch = {a.id: a.story_id for a in originals}
        for a in articles:
            if a.dup_of is not None:
                # A copy counts once: it joins its original's story without
                # touching the cluster statistics.
                sid = story_of_batch.get(a.dup_of) or self.store.story_of(a.dup_of)
                a.story_id = sid
                if sid is not None:
                    storyline_of[sid] = self._line_of_story[sid]
        return storyline_of


def summary(report: IngestReport) -> dict[str, object]:
    """The report as plain data, for JSON output and the ingest log."""
    return {
        "seen": report.seen,
        "ingested": report.ingested,
        "duplicates": report.duplicates,
        "unchanged": report.unchanged,
        "skipped": len(report.skipped),
        "warnings": len(report.warnings),
        "stories_created": report.stories_created,
        "stories_updated": report.stories_updated,
        "seconds": round(report.seconds, 3),
        "articles_per_s": round(report.ingested / report.seconds, 2) if report.seconds else None,
        "stage_seconds": {k: round(v, 3) for k, v in report.stage_seconds.items()},
        "problems": [str(p) for p in report.problems],
    }
