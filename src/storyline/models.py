"""The data that flows through Storyline, left to right.

``RawDocument`` (bytes and hints from a source) becomes an ``Article`` (clean
text, paragraphs, language, sentences, entity mentions, embedding); articles
group into a ``Story`` (one real event) and stories into a ``Storyline``.

Every span is a ``[start, end)`` character offset into ``Article.text``,
with one exception: entity mentions found in the title have negative spans,
counted as if the title sat just before the text (``start - len(title)``);
``storyline.nlp.entities.mention_source`` turns them back into title spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .nlp.canon import Role
    from .nlp.events import EventMention
    from .nlp.figures import Figure
    from .nlp.quotes import Quote
    from .nlp.timex import Timex


@dataclass(slots=True)
class RawDocument:
    """What a source hands over before any parsing.

    ``origin`` names where it came from in a way a person can find again
    (``path``, ``path:line`` for JSON Lines, ``<stdin>:3``, a URL). ``hints``
    holds fields the source stated explicitly (``title``, ``url``,
    ``published``, ``source``, ``lang``) and win over anything guessed from the
    body. ``kind`` is ``"html"`` or ``"text"``.
    """

    origin: str
    body: str
    kind: str = "text"
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Problem:
    """A named reason, counted and reported instead of raised.

    ``fatal`` problems drop the document (empty, binary, unparseable ...);
    the others are warnings about a document that is still stored (for
    example an absurd publication date that was discarded).
    """

    origin: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        level = "skipped" if self.fatal else "warning"
        return f"{self.origin}: {level}: {self.reason}"


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    lang: str = "und"


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    lang: str = "und"


@dataclass(slots=True)
class Mention:
    """An entity mention: surface span, coarse type and canonical key.

    ``key`` is language independent (``per:xi jinping``, ``loc:busan``) so
    that 习近平 and Xi Jinping count as one entity.
    """

    start: int
    end: int
    text: str
    label: str  # PER, ORG, LOC, MISC
    key: str


@dataclass(slots=True)
class Article:
    """One cleaned news article and everything the per-article stages add."""

    id: str
    origin: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    lang: str = "und"
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    embedding: np.ndarray | None = None
    terms: dict[str, int] = field(default_factory=dict)
    dup_of: str | None = None
    story_id: str | None = None
    warnings: list[str] = field(default_factory=list)
    # What the article says, each item with its span (the understanding stage).
    roles: list[Role] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)

    @property
    def langs(self) -> list[str]:
        """Languages of the paragraphs, most frequent first."""
        counts: dict[str, int] = {}
        for p in self.paragraphs:
            counts[p.lang] = counts.get(p.lang, 0) + (p.end - p.start)
        return [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass(slots=True)
class Story:
    """A cluster of articles about one real event."""

    id: str
    storyline_id: str | None
    title: str
    article_ids: list[str]
    first: datetime | None
    last: datetime | None
    langs: list[str]
    outlets: list[str]
    created: str = ""
    updated: str = ""
    # Syndicated copies among ``article_ids``: shown, but counted once.
    copies: int = 0

    @property
    def n_articles(self) -> int:
        return len(self.article_ids) - self.copies


@dataclass(slots=True)
class Storyline:
    """A thread of related stories over time."""

    id: str
    title: str
    story_ids: list[str]
    first: datetime | None
    last: datetime | None
    n_articles: int = 0
    langs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did, for the summary line and ``--format json``."""

    seen: int = 0
    ingested: int = 0
    duplicates: int = 0
    unchanged: int = 0
    stories_created: int = 0
    stories_updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal]
