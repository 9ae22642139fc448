"""What each article says: names linked, roles, dates, quotes, figures, dated events.

Five stages (``stages.py`` times each): ``link_names`` rewrites the body
mentions' keys (within-article coreference) and fills ``roles``;
``add_timexes``, ``add_quotes``, ``add_figures`` and ``add_events`` fill the
rest. They need ``Article.sentences`` (with languages), ``Article.mentions``
and ``Article.published``, and are pure per article, like the other stages,
so they run in the worker process.

Mixed-language pages (an English article quoting a Chinese paragraph) are
handled by running the language-specific extractors once per language, each
over that language's sentences, with offsets into the whole text.

``repair_story`` is the story-level step: it runs where the story is known
(at commit time) and decides which misspelt names to merge within it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from .models import Article, Mention
from .nlp.aliases import AliasTable
from .nlp.canon import EntityEvidence, find_roles, link_mentions, repair_names
from .nlp.events import find_events
from .nlp.figures import find_figures
from .nlp.quotes import find_quotes
from .nlp.timex import find_timexes
from .store.sqlite import StoryEntities

__all__ = ["add_events", "add_figures", "add_quotes", "add_timexes", "link_names", "redate", "repair_story"]

_END = 1 << 62


def _by_lang(article: Article) -> dict[str, list[tuple[int, int]]]:
    groups: dict[str, list[tuple[int, int]]] = {}
    for s in article.sentences:
        lang = "zh" if s.lang.startswith("zh") else "en" if s.lang in ("en", "und") else s.lang
        groups.setdefault(lang, []).append((s.start, s.end))
    return groups


def _languages(article: Article) -> Iterator[tuple[str, list[tuple[int, int]], list[Mention]]]:
    """(language, its sentences, its body mentions) for the languages with rules."""
    for lang, spans in _by_lang(article).items():
        if lang in ("en", "zh"):
            yield lang, spans, [m for m in article.mentions if m.start >= 0 and _within(m.start, spans)]


def link_names(article: Article, table: AliasTable | None = None) -> None:
    """Within-article coreference ("Trump" -> Donald Trump), then roles and titles.

    ``table`` is the alias table the mentions were keyed with (the bundled one by default)."""
    title_mentions = [m for m in article.mentions if m.start < 0]
    linked: list[Mention] = []
    for lang, spans in _by_lang(article).items():
        inside = [m for m in article.mentions if m.start >= 0 and _within(m.start, spans)]
        linked.extend(link_mentions(article.text, inside, lang, table) if lang in ("en", "zh") else inside)
    linked.sort(key=lambda m: (m.start, m.end))
    article.mentions = title_mentions + linked
    roles = [r for lang, _, here in _languages(article) for r in find_roles(article.text, here, lang, table)]
    article.roles = sorted(roles, key=lambda r: r.start)


def add_timexes(article: Article, dct: datetime | None = None) -> None:
    """``dct`` stands in for the publication date of an undated article (see ``redate``)."""
    article.timexes = find_timexes(article.text, dct or article.published, article.lang)


def add_quotes(article: Article) -> None:
    quotes = [
        q for lang, spans, here in _languages(article) for q in find_quotes(article.text, lang, here, spans)
    ]
    article.quotes = sorted(quotes, key=lambda q: q.start)


def add_figures(article: Article) -> None:
    figures = [f for lang, spans, _ in _languages(article) for f in find_figures(article.text, lang, spans)]
    article.figures = sorted(figures, key=lambda f: f.start)


def add_events(article: Article, dct: datetime | None = None) -> None:
    events = []
    for lang, spans, here in _languages(article):
        timexes = [t for t in article.timexes if _within(t.start, spans)]
        events.extend(find_events(article.text, lang, dct or article.published, timexes, here, spans))
    # An undated event may lack a date span; its trigger then places it within the sentence.
    article.events = sorted(
        events, key=lambda e: (e.start, e.trigger_start if e.timex_start is None else e.timex_start)
    )


def redate(article: Article, dct: datetime, calendar_only: bool = False) -> None:
    """Resolve an undated article's dates and events against an estimated publication date.

    Most pages scraped from the web state no date; "October 30" in them means
    nothing without a year, and "on Thursday" nothing without a week. Once
    the article's story is known, its dated coverage gives an estimate; the
    stored events say they were dated this way. With ``calendar_only`` (the
    estimate comes from the wider storyline, which spans weeks) only dates
    that name their month or year are resolved: "October 30" gets its year,
    "on Monday" stays unresolved rather than land in the wrong week.
    """
    before = article.timexes
    add_timexes(article, dct)
    if calendar_only:
        kept = [t for t in article.timexes if _CALENDAR.search(t.text)]
        kept += [t for t in before if not _CALENDAR.search(t.text)]
        article.timexes = sorted(kept, key=lambda t: t.start)
    add_events(article, dct)


_CALENDAR = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b\.?|\b(?:19|20)\d\d\b"
    r"|[0-9０-９〇一二三四五六七八九十]+\s*[年月]"
)


def _within(offset: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (offset, _END)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def repair_story(story: StoryEntities, table: AliasTable | None = None) -> list[tuple[str, str, str]]:
    """Merges of misspelt names within one story, as (source key, target key, reason)."""
    surfaces: dict[str, Counter[str]] = {}
    labels: dict[str, str] = {}
    neighbours: dict[str, Counter[str]] = {}
    for aid, mentions in story.mentions.items():
        for m in mentions:
            surfaces.setdefault(m.key, Counter())[m.text] += 1
            labels.setdefault(m.key, m.label)
        for start, end in story.sentences.get(aid, []):
            keys = {m.key for m in mentions if start <= m.start < end}
            for k in keys:
                neighbours.setdefault(k, Counter()).update(keys - {k})
    evidence = [
        EntityEvidence(
            key=key,
            label=labels[key],
            surfaces=counts,
            count=sum(counts.values()),
            roles=story.roles.get(key, set()),
            neighbours=neighbours.get(key, Counter()),
        )
        for key, counts in sorted(surfaces.items())
    ]
    return [(m.source_key, m.target_key, m.reason) for m in repair_names(evidence, table)]
