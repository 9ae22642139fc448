"""The one object the CLI, the API and the web pages call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from . import config as config_mod
from .models import Article, IngestReport, Problem, RawDocument, Story
from .models import Storyline as StorylineThread
from .store import Store


class Storyline:
    """A Storyline database: ingest articles, read stories and storylines."""

    def __init__(self, db: str | Path | None = None, create: bool = True, **settings: Any) -> None:
        """Open (or, with ``create``, make) the database ``db``; ``settings`` override the
        environment (see ``storyline settings``)."""
        self.config = config_mod.load(db=str(db) if db is not None else None, **settings)
        self.store = Store(self.config.db, create=create)
        self._pipeline = None

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pipeline is not None:
            self._pipeline.close()
        self.store.close()

    @property
    def pipeline(self):  # type: ignore[no-untyped-def]
        # Imported and built on first use: reading stories needs no models.
        if self._pipeline is None:
            from .pipeline import Pipeline

            self._pipeline = Pipeline(self.store, self.config)
        return self._pipeline

    def ingest(
        self,
        paths: Sequence[str | Path],
        stdin: BinaryIO | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Ingest files, folders and ``-`` (stdin); see ``storyline ingest --help``."""
        return self._guarded(lambda: self.pipeline.ingest(paths, stdin=stdin, progress=progress))

    def ingest_documents(
        self,
        docs: Iterable[RawDocument | Problem],
        progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        return self._guarded(lambda: self.pipeline.run(docs, progress))

    def _guarded(self, run: Callable[[], IngestReport]) -> IngestReport:
        try:
            return run()
        except BaseException:
            # The stateful stages may hold decisions that were never
            # committed; the next run rebuilds them from the store.
            if self._pipeline is not None:
                self._pipeline.close()
                self._pipeline = None
            raise

    def storylines(self) -> list[StorylineThread]:
        return self.store.storylines()

    def stories(
        self,
        storyline: str | None = None,
        lang: str | None = None,
        since: datetime | None = None,
    ) -> list[Story]:
        return self.store.stories(storyline=storyline, lang=lang, since=since)

    def story(self, story_id: str) -> Story | None:
        return self.store.story(story_id)

    def storyline(self, storyline_id: str) -> StorylineThread | None:
        return next((x for x in self.store.storylines() if x.id == storyline_id), None)

    def demo_scores(self) -> dict[str, Any]:
        """How the stored demo corpus scores against its gold labels."""
        from .demo import score

        return score(self.store)

    def articles(self, ids: Sequence[str]) -> list[Article]:
        return self.store.articles(ids)

    def counts(self) -> dict[str, int]:
        return self.store.counts()
