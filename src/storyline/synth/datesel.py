"""Timeline from a pile of articles: which days matter, and what happened on each.

The date-wise approach of Tran et al. (2013) and Ghalandari and Ifrim (2020):
a day matters when many articles *mention* it ("el 25 de enero", "hier",
"lundi dernier", resolved against each article's publication date); being a
publication day counts for less, since coverage lags events and piles up on
slow days too. The top ``k`` days are the timeline. Each day's summary is the
sentences that mention it, most central first (cosine to the TF-IDF centroid
of those sentences), with near-duplicates dropped; a day that nobody mentions
but many published on falls back on the sentences of that day's articles.
A sentence met word for word in an earlier article (a syndicated copy, a
site's navigation repeated on every page) neither counts nor is quoted again.

Works on anything with ``text``, ``lang`` and ``published`` (an ``Article``, a
``Doc``); articles without a publication date still contribute the absolute
dates they mention.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from ..nlp.timex_intl import find_timexes
from ..text.sentences import split_text

__all__ = ["DatedSummary", "Doc", "Settings", "build_timeline", "day_of"]

_DAY_VALUE = re.compile(r"(\d{4}-\d\d-\d\d)(?:T|$)")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class Dated(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def lang(self) -> str: ...

    @property
    def published(self) -> date | datetime | str | None: ...


@dataclass(frozen=True, slots=True)
class Doc:
    """The least an article needs to be put on a timeline."""

    text: str
    lang: str
    published: date | datetime | str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """How much each kind of evidence says a day matters; one set of defaults for all languages.

    An article supports a day with its strongest mention of it: a written date ("le 11 février")
    says most, a relative one ("ayer", "lundi dernier") less, and "today" or a mention of the
    article's own publication day hardly more than being published that day, which is weak:
    coverage lags events and piles up on slow news days too.
    """

    explicit_weight: float = 1.0
    relative_weight: float = 0.5
    same_day_weight: float = 0.2
    publication_weight: float = 0.2
    # Mentions of days after publication are plans and deadlines, rarely the events themselves.
    allow_future: bool = False
    # Days this long before the first article are background (earlier wars, anniversaries).
    lead_days: int = 31
    min_words: int = 6
    max_words: int = 60
    redundancy: float = 0.5  # cosine above which a sentence repeats one already chosen


@dataclass(frozen=True, slots=True)
class DatedSummary:
    date: date
    score: float
    sentences: list[str] = field(default_factory=list)


def day_of(value: date | datetime | str | None) -> date | None:
    """The calendar day of a publication date in any of the usual forms; None when it has none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and (m := re.match(r"\d{4}-\d\d-\d\d", value.strip())):
        try:
            return date.fromisoformat(m.group())
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class _Sentence:
    text: str
    article: int
    words: list[str]
    copy: bool  # seen word for word in an earlier article: syndication, or a site's boilerplate


@dataclass(frozen=True, slots=True)
class _Mention:
    sentence: int
    weight: float


def _read(
    articles: Sequence[Dated], settings: Settings
) -> tuple[list[_Sentence], dict[date, list[_Mention]]]:
    """All sentences, and the mentions of each day outside copied sentences."""
    sentences: list[_Sentence] = []
    mentions: dict[date, list[_Mention]] = defaultdict(list)
    seen: set[tuple[str, ...]] = set()
    for i, article in enumerate(articles):
        text, pub = article.text, day_of(article.published)
        spans = split_text(text, article.lang)
        first = len(sentences)
        for s, e in spans:
            words = [w.lower() for w in _WORD.findall(text[s:e])]
            key = tuple(words)
            sentences.append(_Sentence(text[s:e], i, words, key in seen))
            seen.add(key)
        starts = [s for s, _ in spans]
        for t in find_timexes(text, pub, article.lang):
            m = _DAY_VALUE.match(t.value)
            if not m or not starts:
                continue
            idx = first + max(0, bisect_right(starts, t.start) - 1)
            day = date.fromisoformat(m[1])
            if sentences[idx].copy or (pub and day > pub and not settings.allow_future):
                continue
            if day == pub:
                weight = settings.same_day_weight
            elif any(c.isdigit() for c in t.text):
                weight = settings.explicit_weight
            else:
                weight = settings.relative_weight
            mentions[day].append(_Mention(idx, weight))
    return sentences, mentions


def _score_days(
    sentences: list[_Sentence],
    mentions: dict[date, list[_Mention]],
    published: list[date | None],
    settings: Settings,
) -> dict[date, float]:
    scores: dict[date, float] = defaultdict(float)
    known = [p for p in published if p]
    earliest = min(known) if known else None
    for day, found in mentions.items():
        if earliest and (earliest - day).days > settings.lead_days:
            continue
        strongest: dict[int, float] = {}
        for mention in found:
            article = sentences[mention.sentence].article
            strongest[article] = max(strongest.get(article, 0.0), mention.weight)
        scores[day] += sum(strongest.values())
    for pub in known:
        scores[pub] += settings.publication_weight
    return scores


class _Vectors:
    """TF-IDF vectors of sentences, IDF over the articles (a word every article uses says nothing)."""

    def __init__(self, sentences: list[_Sentence], n_articles: int) -> None:
        df: Counter[str] = Counter()
        seen: dict[int, set[str]] = defaultdict(set)
        for s in sentences:
            seen[s.article].update(s.words)
        for words in seen.values():
            df.update(words)
        self.idf = {w: math.log((1 + n_articles) / (1 + c)) + 1.0 for w, c in df.items()}

    def of(self, words: list[str]) -> dict[str, float]:
        tf = Counter(words)
        vec = {w: (1 + math.log(c)) * self.idf.get(w, 1.0) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _summarise(
    candidates: list[int], sentences: list[_Sentence], vectors: _Vectors, n: int, settings: Settings
) -> list[str]:
    """The ``n`` most central candidates, skipping repeats, in order of centrality."""
    pool = [
        i
        for i in dict.fromkeys(candidates)
        if settings.min_words <= len(sentences[i].words) <= settings.max_words
    ] or list(dict.fromkeys(candidates))
    vecs = {i: vectors.of(sentences[i].words) for i in pool}
    centroid: Counter[str] = Counter()
    for v in vecs.values():
        centroid.update(v)
    ranked = sorted(pool, key=lambda i: -_cosine(vecs[i], centroid))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= n:
            break
        if all(_cosine(vecs[i], vecs[j]) < settings.redundancy for j in chosen):
            chosen.append(i)
    return [sentences[i].text for i in chosen]


def build_timeline(
    articles: Sequence[Dated], k: int, sentences_per_date: int = 2, settings: Settings | None = None
) -> list[DatedSummary]:
    """The ``k`` best-supported days, in date order, each with up to ``sentences_per_date`` sentences."""
    settings = settings or Settings()
    published = [day_of(a.published) for a in articles]
    sentences, mentions = _read(articles, settings)
    scores = _score_days(sentences, mentions, published, settings)
    days = sorted(scores, key=lambda d: (-scores[d], d))[:k]
    vectors = _Vectors(sentences, len(articles))
    published_on: dict[date, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        if (pub := published[s.article]) is not None and not s.copy:
            published_on[pub].append(i)
    out = []
    for day in sorted(days):
        candidates = [m.sentence for m in mentions.get(day, [])] or published_on.get(day, [])
        out.append(
            DatedSummary(
                day, scores[day], _summarise(candidates, sentences, vectors, sentences_per_date, settings)
            )
        )
    return out
