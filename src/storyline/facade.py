"""The one object the CLI, the API and the web pages call."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import config as config_mod
from .models import Article, IngestReport, Problem, RawDocument, Story
from .models import Storyline as StorylineThread
from .store import Store

if TYPE_CHECKING:
    from .ingest.posts import Post, PostReport
    from .store.search import SearchHit, VectorIndex

# Articles a text search indexes itself when the writer has not caught up
# (articles ingested by another process); the rest waits for the next search.
_LAZY_INDEX = 1000


class Storyline:
    """A Storyline database: ingest articles, read stories and storylines."""

    def __init__(self, db: str | Path | None = None, create: bool = True, **settings: Any) -> None:
        """Open (or, with ``create``, make) the database ``db``; ``settings`` override the
        environment (see ``storyline settings``)."""
        self.config = config_mod.load(db=str(db) if db is not None else None, **settings)
        if self.config.aliases:
            _check_aliases(self.config.aliases)
        self.store = Store(self.config.db, create=create)
        self._pipeline = None
        # Whether a text search first indexes what was stored since the last one.
        self._index_lazily = True

    @classmethod
    def reader(cls, db: str | Path, busy_ms: int, **settings: Any) -> Storyline:
        """An existing database opened to read beside a writer that keeps the search index up to
        date (text search never indexes here); waiting for the writer's lock to cache a brief
        gives up after ``busy_ms`` and goes on without."""
        sl = cls(db=db, create=False, **settings)
        sl.store.set_busy_timeout(busy_ms)
        sl._index_lazily = False
        return sl

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

    def stories_page(
        self,
        storyline: str | None = None,
        lang: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        since: date | None = None,
        until: date | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[int, list[Story]]:
        """(how many match, one page of them), most recent first; ``entity`` is any spelling;
        ``since``/``until`` keep stories with articles on or after / on or before those days."""
        from .views import resolve_entity

        key = None
        if entity is not None:
            keys = resolve_entity(self.store, entity)
            if not keys:
                return 0, []
            key = keys[0]
        start = datetime.combine(since, time.min) if since else None
        end = datetime.combine(until, time.max) if until else None
        filters = {
            "storyline": storyline,
            "lang": lang,
            "since": start,
            "until": end,
            "outlet": outlet,
            "key": key,
        }
        return self.store.count_stories(**filters), self.store.stories(**filters, limit=limit, offset=offset)

    def story(self, story_id: str) -> Story | None:
        return self.store.story(story_id)

    def storyline(self, storyline_id: str) -> StorylineThread | None:
        return next((x for x in self.store.storylines() if x.id == storyline_id), None)

    def demo_scores(self) -> dict[str, Any]:
        """How the stored demo corpus scores against its gold labels."""
        from .demo import score

        return score(self.store)

    def volume_by_day(self) -> dict[str, dict[str, int]]:
        """Articles per publication day (ISO date), per storyline id."""
        return self.store.volume_by_day()

    def articles(self, ids: Sequence[str]) -> list[Article]:
        return self.store.articles(ids)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def stored_counts(self) -> dict[str, int]:
        """Rows in the store by kind: articles, duplicates, stories, storylines and posts."""
        from .store.posts import count_posts

        return {**self.store.counts(), "posts": count_posts(self.store)}

    def article_count(self) -> int:
        """How many articles are stored: one cheap query, for liveness checks."""
        return self.store.count_articles()

    def annotations(self, article_id: str) -> dict[str, list[dict[str, Any]]]:
        """An article's mentions, roles, timexes, quotes, figures and events, as rows with their spans."""
        return self.store.annotations([article_id])[article_id]

    def placement(self, origins: Sequence[str]) -> dict[str, tuple[str, str | None, str | None]]:
        """What became of ingested documents, by origin: (article id, id of the article it
        duplicates, story id); origins with no stored article are left out."""
        return self.store.articles_by_origin(origins)

    # -- search (see ``store/search.py``) ------------------------------------

    def index_for_search(self, limit: int | None = None) -> int:
        """Add the articles stored since the last call (at most ``limit``) to the full-text index;
        return how many. Raises ``sqlite3.OperationalError`` when the database cannot be written."""
        from .store.search import ensure_index

        return ensure_index(self.store.conn, limit=limit)

    def unindexed(self) -> int:
        """Articles stored but not yet found by text search (a server's writer is indexing them)."""
        from .store.search import unindexed

        return unindexed(self.store.conn)

    def search(
        self,
        q: str,
        mode: str = "text",
        lang: str | None = None,
        limit: int = 20,
        offset: int = 0,
        index: VectorIndex | None = None,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[int, list[SearchHit]]:
        """Articles for the query ``q``, syndicated copies left out: (how many match, this page).

        ``mode="text"``: articles containing every word, best first by BM25; ``"semantic"``:
        closest in meaning, in any language (keep a long-lived ``index`` to reuse its matrix).
        ``lang``, ``outlet``, ``since`` and ``until`` (publication days, inclusive) narrow it.
        Raises ``SearchError`` for a query that cannot be run.
        """
        from .store.search import SearchFilter, semantic_search, text_search

        where = SearchFilter(lang=lang, outlet=outlet, since=since, until=until)
        if mode == "semantic":
            return semantic_search(self.store.conn, q, limit=limit, offset=offset, index=index, where=where)
        if mode != "text":
            raise ValueError(f"unknown search mode {mode!r}; use 'text' or 'semantic'")
        if self._index_lazily:
            # A busy writer indexes after its ingest; meanwhile what is indexed is searched.
            with suppress(sqlite3.OperationalError):
                self.index_for_search(limit=_LAZY_INDEX)
        return text_search(self.store.conn, q, limit=limit, offset=offset, where=where)

    # -- briefs (see ``synth/``) ---------------------------------------------

    def brief(
        self, story_id: str, lang: str = "en", writer: str = "extractive", today: date | None = None
    ) -> dict[str, Any] | None:
        """The brief of a story or a storyline (by id or unambiguous prefix); None if there is none.

        Cached in the store and rebuilt only when what it was built from changed.
        ``writer="llm"`` also has the summary rewritten by the model at ``STORYLINE_LLM_URL``.
        """
        from .synth.brief import BriefOptions, brief, storyline_brief

        options = BriefOptions(
            lang=lang,
            today=today,
            writer=writer,
            llm_url=self.config.llm_url or None,
            llm_model=self.config.llm_model,
            llm_key=self.config.llm_key or None,
        )
        story = self.store.story(story_id)
        if story is not None:
            return brief(self.store, story, options)
        line = self.storyline(story_id) or _by_prefix(self.store.storylines(), story_id)
        return storyline_brief(self.store, line, options) if line else None

    def ingest_posts(self, paths: Sequence[str | Path]) -> PostReport:
        """Social posts from JSON Lines files, classified and attached to stories; see ``ingest-posts``."""
        from .ingest.posts import ingest_posts

        return ingest_posts(self.store, paths)

    def add_posts(self, posts: Sequence[Post]) -> set[str]:
        """Store the posts not stored yet (embedded, stance classified), then attach every unattached
        post to a story; return the ids that were new. Claims the writer, like an ingest."""
        from .ingest.posts import store_posts
        from .store.posts import attach, known_post_ids

        self.store.claim_writer()
        known = known_post_ids(self.store, [p.id for p in posts])
        store_posts(self.store, posts)
        attach(self.store)
        return {p.id for p in posts} - known

    def post_placement(self, post_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """post id -> (story id, how it was attached: link, reply, quote or similarity), both None
        while unattached; ids not stored are left out."""
        from .store.posts import placement

        return placement(self.store, post_ids)

    def brief_stamp(self, story_id: str, lang: str = "en", today: date | None = None) -> str | None:
        """What a story's extractive brief is built from (changes when the brief would); None if no story.

        Lets a caller keep what it renders from the brief until the brief itself changes.
        """
        from .synth.brief import BriefOptions, brief_version

        story = self.store.story(story_id)
        if story is None:
            return None
        options = BriefOptions(lang=lang, today=today)
        return f"{story.id}|{options.variant}|{brief_version(self.store, story, options, [story.id])}"

    def article_texts(self, ids: Sequence[str]) -> dict[str, str]:
        return {a.id: a.text for a in self.store.articles(ids)}

    def upcoming(self, days: int = 30, today: date | None = None) -> list[dict[str, Any]]:
        """Deadlines, expiries, meetings and pledges due within ``days`` of ``today``, in all stories."""
        from .synth.commitments import upcoming

        return upcoming(self.store, today or date.today(), days)

    # -- what the articles say (see ``views.py``) ---------------------------

    def story_view(self, story_id: str) -> dict[str, Any] | None:
        """A story with its entities, timeline, quotes and figures; None if there is no such story."""
        from .views import story_view

        story = self.store.story(story_id)
        return story_view(self.store, story) if story else None

    def entities(
        self, type_: str | None = None, story_id: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        from .views import entities_view

        story_ids = None
        if story_id is not None:
            story = self.store.story(story_id)
            story_ids = [story.id] if story else []
        return entities_view(self.store, type_=type_, story_ids=story_ids, limit=limit)

    def entity(self, name: str) -> dict[str, Any] | None:
        """One entity by key, name or any spelling seen; None if nothing matches."""
        from .views import entity_view, resolve_entity

        keys = resolve_entity(self.store, name)
        if not keys:
            return None
        view = entity_view(self.store, keys[0])
        if view is not None:
            view["also_matching"] = keys[1:]
        return view

    def timeline(
        self,
        story_id: str | None = None,
        storyline_id: str | None = None,
        entity: str | None = None,
    ) -> list[dict[str, Any]]:
        """Dated events merged across sources, for a story, a storyline, an entity, or everything."""
        from .views import resolve_entity, timeline_view

        story_ids: list[str] | None = None
        if story_id is not None:
            story = self.store.story(story_id)
            story_ids = [story.id] if story else []
        elif storyline_id is not None:
            story_ids = [s.id for s in self.store.stories(storyline=storyline_id)]
        keys = resolve_entity(self.store, entity)[:1] if entity is not None else None
        if keys == [] or story_ids == []:
            return []
        return timeline_view(self.store, story_ids=story_ids, keys=keys)


def _check_aliases(path: str) -> None:
    """Fail before any work when the user's alias file cannot be used."""
    from .nlp.aliases import load_aliases

    try:
        load_aliases(Path(path))
    except OSError as exc:
        raise ValueError(f"STORYLINE_ALIASES={path!r}: cannot read it ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"STORYLINE_ALIASES={path!r}: {exc}") from None


def _by_prefix(lines: Sequence[StorylineThread], prefix: str) -> StorylineThread | None:
    found = [x for x in lines if x.id.startswith(prefix)]
    return found[0] if len(found) == 1 else None
