"""The stream driver: extraction, stages, dedupe, clustering, one commit per batch.

Per batch: extract each document, drop what is already stored, find
syndicated copies, run the language stages (``stages.py``) while the main
process computes the embeddings, cluster, and commit the batch and the
stories it touched in one transaction.

With ``workers`` = 1 (the default) the language stages run in a separate
process, so spaCy and LAC use one core while the embedding model uses the
other; with 0 everything runs in this process, one stage after another.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import BinaryIO, TypeVar

from . import dedupe, embed, understand
from .cluster.online import OnlineClusterer
from .config import Config
from .ingest.files import iter_raw
from .models import Article, IngestReport, Problem, RawDocument
from .nlp.aliases import load_aliases
from .orphans import exit_with_parent
from .stages import Annotated, Stage, annotate, build_stages
from .store import Store
from .text.extract import extract
from .understand import repair_story

T = TypeVar("T")

_worker_stages: list[Stage] = []


def _init_worker(entity_chars: int, aliases: str) -> None:
    exit_with_parent()
    _worker_stages.extend(build_stages(entity_chars, aliases))


def _annotate_in_worker(articles: list[Article]) -> Annotated:
    return annotate(_worker_stages, articles)


def _safe_extract(raw: RawDocument) -> Article | Problem:
    try:
        return extract(raw)
    except Exception as exc:
        return Problem(raw.origin, f"extraction failed: {type(exc).__name__}: {exc}")


@dataclass(slots=True)
class _InFlight:
    """A batch between extraction and commit."""

    size: int
    articles: list[Article]
    minhashes: dict[str, bytes]
    pending: Future[Annotated] | None = None
    vectors: dict[str, object] = field(default_factory=dict)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Pipeline:
    """Runs documents through the stages into the store, batch by batch."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        store.claim_writer()
        self._threads = config.threads or embed.default_threads(config.workers)
        self._pool: ProcessPoolExecutor | None = None
        self._stages: list[Stage] = []
        if config.workers > 0:
            # spawn, not fork: the parent holds BLAS threads that a fork would
            # copy in an undefined state.
            self._pool = ProcessPoolExecutor(
                max_workers=config.workers,
                mp_context=get_context("spawn"),
                initializer=_init_worker,
                initargs=(config.entity_chars, config.aliases),
            )
        else:
            self._stages = build_stages(config.entity_chars, config.aliases)
        table = load_aliases(Path(config.aliases) if config.aliases else None)
        self._repair = partial(repair_story, table=table)
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
        # One batch in flight: while the worker annotates batch k, this
        # process extracts and embeds batch k+1. Batches are still clustered
        # and committed strictly in order.
        inflight: _InFlight | None = None
        try:
            for batch in batched(items, self.config.batch_size):
                ahead = self._start(batch, report, inflight)
                if inflight is not None:
                    done, inflight = inflight, None
                    self._finish(done, report, progress)
                inflight = ahead
        finally:
            # Commit what was read even when the source fails mid-stream.
            if inflight is not None:
                self._finish(inflight, report, progress)
        report.seconds = time.perf_counter() - started
        self.store.record_run(stamp, summary(report))
        return report

    def _timed(self, report: IngestReport, name: str, fn: Callable[[], T]) -> T:
        t = time.perf_counter()
        try:
            return fn()
        finally:
            report.stage_seconds[name] = report.stage_seconds.get(name, 0.0) + time.perf_counter() - t

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.store.release_writer()

    def _start(
        self, batch: list[RawDocument | Problem], report: IngestReport, before: _InFlight | None
    ) -> _InFlight:
        """Extract, find copies, hand the language stages off, embed."""
        report.seen += len(batch)
        # The batch before this one is not committed yet: its ids count as known.
        pending = {a.id for a in before.articles} if before is not None else set()
        articles = self._timed(report, "extract", lambda: self._extract(batch, report, pending))
        minhashes = self._timed(report, "dedupe", lambda: self._dedupe(articles, report))
        job = _InFlight(len(batch), articles, minhashes)
        if not articles:
            return job
        if self._pool is not None:
            job.pending = self._pool.submit(_annotate_in_worker, articles)
        originals = [a for a in articles if a.dup_of is None]
        self._timed(
            report,
            "embedding",
            lambda: embed.embed_articles(originals, self.config.embed_chars, self._threads),
        )
        job.vectors = {a.id: a.embedding for a in originals}
        return job

    def _finish(self, job: _InFlight, report: IngestReport, progress: Callable[[int], None] | None) -> None:
        """Collect the annotations, cluster, commit."""
        articles = self._collect(job, report) if job.articles else []
        storyline_of = self._timed(report, "cluster", lambda: self._cluster(articles, report))
        articles = [a for a in articles if a.story_id is not None]
        self._timed(report, "redate", lambda: self._redate(articles, report))
        created, updated = self._timed(
            report,
            "store",
            lambda: self.store.write_batch(articles, job.minhashes, storyline_of, self._repair),
        )
        report.ingested += len(articles)
        report.stories_created += created
        report.stories_updated += updated
        if progress:
            progress(job.size)

    def _collect(self, job: _InFlight, report: IngestReport) -> list[Article]:
        if job.pending is not None:
            wait = time.perf_counter()
            done = job.pending.result()
            report.stage_seconds["wait"] = report.stage_seconds.get("wait", 0.0) + time.perf_counter() - wait
            for a in done.articles:
                a.embedding = job.vectors.get(a.id)
        else:
            done = annotate(self._stages, job.articles)
        for name, secs in done.seconds.items():
            report.stage_seconds[name] = report.stage_seconds.get(name, 0.0) + secs
        report.problems.extend(done.problems)
        for aid in done.failed:
            self.deduper.forget(aid)
        return [a for a in done.articles if a.id not in done.failed]

    def _extract(
        self, batch: list[RawDocument | Problem], report: IngestReport, pending: set[str]
    ) -> list[Article]:
        articles: list[Article] = []
        for item in batch:
            result = item if isinstance(item, Problem) else _safe_extract(item)
            if isinstance(result, Problem):
                report.problems.append(result)
                continue
            report.problems.extend(Problem(result.origin, w, fatal=False) for w in result.warnings)
            articles.append(result)
        # Re-ingesting the same input changes nothing: drop what is stored and
        # repeats within the batch before any expensive stage runs.
        known = self.store.known_ids(a.id for a in articles) | pending
        fresh: list[Article] = []
        for a in articles:
            if a.id in known:
                report.unchanged += 1
            else:
                known.add(a.id)
                fresh.append(a)
        return fresh

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

    def _redate(self, articles: list[Article], report: IngestReport) -> None:
        """Date the undated originals from their story (else, for calendar dates only, their
        storyline): the median of its dated articles, in this batch and stored, then resolve
        their dates and events against it."""
        undated = [a for a in articles if a.published is None and a.dup_of is None and a.timexes]
        if not undated:
            return
        dates: dict[str, list[datetime]] = defaultdict(list)
        for a in articles:
            if a.published is not None and a.story_id is not None:
                when = _utc(a.published)
                dates[a.story_id].append(when)
                dates[self._line_of_story[a.story_id]].append(when)
        stories = {a.story_id for a in undated if a.story_id}
        stored = self.store.spans(stories, {self._line_of_story[s] for s in stories})
        for a in undated:
            assert a.story_id is not None
            line = self._line_of_story[a.story_id]
            known = dates[a.story_id] + [_utc(d) for d in stored.get(a.story_id, [])]
            wide = not known
            known = known or dates[line] + [_utc(d) for d in stored.get(line, [])]
            if not known:
                continue
            try:
                understand.redate(a, sorted(known)[len(known) // 2], calendar_only=wide)
            except Exception as exc:
                report.problems.append(
                    Problem(a.origin, f"dating from its story failed: {exc!r}", fatal=False)
                )

    def _cluster(self, articles: list[Article], report: IngestReport) -> dict[str, str]:
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
            if a.dup_of is None:
                continue
            # A copy counts once: it joins its original's story without
            # touching the cluster statistics.
            sid = story_of_batch.get(a.dup_of) or self.store.story_of(a.dup_of)
            if sid is None:
                # Its original failed a stage after the copy was matched to it.
                report.problems.append(Problem(a.origin, f"copy of {a.dup_of}, which was not stored"))
                continue
            a.story_id = sid
            storyline_of[sid] = self._line_of_story[sid]
        return storyline_of


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


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
