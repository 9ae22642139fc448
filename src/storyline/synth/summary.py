"""A story's headline and its extractive, cited summary.

Every candidate is a stored sentence of an original article, weighed by how
central it is to the story (TF-IDF over content tokens plus the
language-independent facts it carries: entity keys, figures, dates, which is
what lets an English and a Chinese sentence meet), how many of the story's
facts it states, how many other articles say the same, its place in its
article and the article's recency. Boilerplate and machine-translation damage
are scored down (``quality.sentence_quality``), and MMR keeps near-duplicates
out. No model is loaded, so a 200-article story takes a fraction of a second.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from scipy import sparse

from ..models import Article
from ..text.normalize import to_simplified
from ..text.terms import _EN_STOP, _ZH_STOP
from .material import Material
from .quality import WORD, garble, junk, machine_translated, sentence_quality, stem

__all__ = ["Pool", "Unit", "cite", "headline", "pool", "sentence_quality", "summarize"]

MIN_SENTENCES, MAX_SENTENCES = 3, 6
# Above this cosine two sentences say the same thing: one is dropped, the other cites both.
NEAR_DUPLICATE = 0.5
_TOP = 80  # candidates kept for the costlier support and MMR steps
_LAMBDA = 0.7

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(rf"[{_CJK}]+")
# A word in a Latin (or any non-Han) script: a letter, then letters, digits, apostrophes or hyphens.
_LATIN_WORD = re.compile(rf"[^\W\d_{_CJK}](?:[^\W{_CJK}]|['’-])*")
# The same on ASCII text, where the classes shrink to plain ranges and the match is twice as fast.
_ASCII_WORD = re.compile(r"[a-z][a-z0-9_'-]*")
_HAN = re.compile(rf"[{_CJK}]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Dateline openers: "KUALA LUMPUR — ", "BEIJING (Reuters) - ", "新华社北京11月24日电 （记者 …）".
_DATELINE = re.compile(
    r"(?:[A-Z]{2}[A-Z .'’-]{1,30}(?:,[^,()—–\n]{1,20}){0,2}\s*(?:\([^)]{1,40}\))?\s+[—–-]{1,2}\s+"
    r"|[^，。\s]{0,24}\d{1,2}月\d{1,2}日电\s*(?:[（(][^）)]{0,30}[）)])?\s*)"
)
# Edition labels that bilingual newsletters put before each language's copy.
_LABEL = re.compile(r"(?:English|Chinese|中文|英文)\s*[:：]\s*")
_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass(slots=True)
class Unit:
    """One sentence of an article, with what the scoring needs."""

    article: Article
    index: int  # position among its article's sentences
    start: int
    end: int
    lang: str
    copy: bool  # from a syndicated copy: cited, never chosen
    terms: Counter[str]
    keys: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    names: list[tuple[int, int]] = field(default_factory=list)  # entity spans, relative to ``start``
    junk: float = 0.0
    garble: float = 0.0
    prior: float = 0.0  # score before support from other articles

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def facts(self) -> set[str]:
        """Figures and dated events: what a sentence states that can be checked across languages."""
        return self.figures | {d for d in self.dates if d.startswith("D:")}

    @property
    def fact_values(self) -> set[str]:
        """The bare values of its facts and dates, so that "116 km/h" and "时速116公里" meet."""
        return {f.split(":")[2] for f in self.figures} | {d.rsplit(":", 1)[-1] for d in self.dates}

    @property
    def news(self) -> set[str]:
        """Values worth a sentence in another language: no small counts, no year-only dates."""
        small = {
            f.split(":")[2] for f in self.figures if f.startswith("F:count:") and float(f.split(":")[2]) < 10
        }
        dated = {
            d.rsplit(":", 1)[-1] for d in self.dates if d.startswith("D:") and len(d.rsplit(":", 1)[-1]) >= 7
        }
        return ({f.split(":")[2] for f in self.figures} - small) | dated


@dataclass(slots=True)
class Pool:
    """All sentences of a story, vectorised once for the summary and the key points."""

    material: Material
    units: list[Unit]
    matrix: sparse.csr_matrix  # row-normalised TF-IDF plus fact features
    key_weight: dict[str, float]  # share of articles naming each entity key

    def by_article(self, originals_only: bool = False) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, u in enumerate(self.units):
            if not (originals_only and u.copy):
                out.setdefault(u.article.id, []).append(i)
        return out

    def sims(self, rows: list[int], cols: list[int] | None = None) -> np.ndarray:
        other = self.matrix if cols is None else self.matrix[cols]
        return (self.matrix[rows] @ other.T).toarray()


# --------------------------------------------------------------------------- the pool


def script_lang(text: str, declared: str) -> str:
    """The language a reader would say a sentence is in, trusting the script over the tagger."""
    if text.isascii():  # no Han, no kana: most sentences of an English story, at a fraction of the cost
        han = kana = latin = 0
    else:
        han, kana, latin = len(_HAN.findall(text)), len(_KANA.findall(text)), len(_LATIN.findall(text))
    if kana and kana * 5 >= han + kana:
        return "ja"
    if han and han * 2 >= latin:
        return "ja" if declared == "ja" else "zh"
    if declared in ("zh", "ja", "ko", "und") or not declared:
        return "en"
    return declared


@lru_cache(maxsize=1 << 16)
def _content(word: str) -> str | None:
    """The term a lower-cased Latin word stands for; None for a stop word or a single letter."""
    return None if len(word) < 2 or word in _EN_STOP else stem(word)


def _terms(text: str) -> Counter[str]:
    """Content terms: stemmed Latin words and Chinese character bigrams (fast, and enough for overlap)."""
    if text.isascii():
        return Counter(filter(None, map(_content, _ASCII_WORD.findall(text.lower()))))
    out: Counter[str] = Counter(filter(None, map(_content, _LATIN_WORD.findall(text.lower()))))
    for run in _HAN_RUN.findall(text):
        run = to_simplified(run)
        out.update(g for g in (run[k : k + 2] for k in range(len(run) - 1)) if g not in _ZH_STOP)
    return out


def _trimmed(article: Article, start: int, end: int) -> tuple[int, int]:
    """The sentence span without surrounding blanks, dateline or edition label."""
    text = article.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for pattern in (_DATELINE, _LABEL):
        m = pattern.match(text, start, end)
        if m and end - m.end() > 20:
            start = m.end()
    return start, end


def pool(material: Material) -> Pool:
    """Every sentence of the story, with terms, facts, quality and a prior score.

    The last pool is kept: the brief asks for the headline, the summary and the
    key points of one material in a row."""
    if _last and _last[0] is material:
        return _last[1]
    p = _build(material)
    _last[:] = [material, p]
    return p


_last: list[Any] = []


def _build(material: Material) -> Pool:
    units: list[Unit] = []
    originals = {a.id for a in material.originals}
    key_articles: Counter[str] = Counter()
    for a in material.articles:
        notes = material.notes.get(a.id, {})
        spans = [_trimmed(a, s.start, s.end) for s in a.sentences]
        spans = [(s, e) for s, e in spans if e > s]
        starts = [s for s, _ in spans]
        mine = [
            Unit(
                a,
                i,
                s,
                e,
                script_lang(a.text[s:e], sen.lang or a.lang),
                a.id not in originals,
                _terms(a.text[s:e]),
            )
            for i, ((s, e), sen) in enumerate(zip(spans, a.sentences, strict=False))
        ]

        def at(offset: int, mine: list[Unit] = mine, starts: list[int] = starts) -> Unit | None:
            k = bisect_right(starts, offset) - 1
            return mine[k] if k >= 0 and offset < mine[k].end else None

        for m in notes.get("mentions", []):
            if m["start"] >= 0 and (u := at(m["start"])) is not None:
                u.keys.add(m["key"])
                u.names.append((m["start"] - u.start, m["end"] - u.start))
        key_articles.update({m["key"] for m in notes.get("mentions", [])})
        for f in notes.get("figures", []):
            if (u := at(f["start"])) is not None:
                u.figures.add(f"F:{f['kind']}:{f['value']:g}:{f['unit'] or ''}")
        for ev in notes.get("events", []):
            if ev["date"] and (u := at(ev["start"])) is not None:
                u.dates.add(f"D:{ev['predicate']}:{ev['date']}")
        for t in notes.get("timexes", []):
            if _MONTH_OR_DAY.fullmatch(t["value"] or "") and (u := at(t["start"])) is not None:
                u.dates.add(f"T:{t['value']}")
        units.extend(mine)
    n_articles = max(1, len(originals))
    key_weight = {k: c / n_articles for k, c in key_articles.items()}
    _judge(units)
    matrix = _vectorise(units)
    p = Pool(material, units, matrix, key_weight)
    _prior(p)
    return p


def _judge(units: list[Unit]) -> None:
    """Quality of every sentence; a page garbled throughout taints even the sentences that look fine."""
    texts = [u.text.strip() for u in units]
    words = [WORD.findall(t) for t in texts]
    # A capital is out of place on a word the story's own English reporting writes in lower case.
    seen: set[str] = set()
    for u, ws in zip(units, words, strict=True):
        if u.lang == "en" and not u.copy:
            seen.update(ws[1:])
    lowercase = {stem(w) for w in seen if w[0].islower()}
    by_article: dict[str, list[float]] = {}
    for u, text, ws in zip(units, texts, words, strict=True):
        u.junk = junk(text, u.lang, len(ws))
        u.garble = garble(text, ws, lowercase, u.names) if u.lang == "en" else 0.0
        if u.junk < 1:
            by_article.setdefault(u.article.id, []).append(u.garble)
    taint = {aid: 0.5 * min(1.0, sum(g) / len(g) * 2) for aid, g in by_article.items() if g}
    articles = {u.article.id: u.article for u in units}
    machine = {aid for aid, a in articles.items() if machine_translated(a.text)}
    for u in units:
        if u.article.id in machine:
            u.garble += 1.5  # the page says it was machine-translated: cite it, quote others
        u.garble += taint.get(u.article.id, 0.0)


def _vectorise(units: list[Unit]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF over terms, with entity keys, figures and dates as extra features."""
    # Each row's features in order: its terms, then its entity keys, figures and dates; the
    # column of a feature is its first appearance. Built with C-level ``map``s, not a loop per term.
    features = [[*u.terms, *("E:" + k for k in u.keys), *u.figures, *u.dates] for u in units]
    vocab = {t: i for i, t in enumerate(dict.fromkeys(chain.from_iterable(features)))}
    indices = list(map(vocab.__getitem__, chain.from_iterable(features)))
    weights = [
        w
        for u in units
        for w in (
            *map(_tf, u.terms.values()),
            *[1.5] * len(u.keys),
            *[2.0] * len(u.figures),
            *[1.5] * len(u.dates),
        )
    ]
    indptr = np.cumsum([0, *map(len, features)])
    n = len(units)
    cols = np.array(indices, dtype=np.int64)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    df = np.bincount(cols, minlength=len(vocab))
    idf = np.array([math.log((n + 1) / (c + 1)) + 1.0 for c in df.tolist()])
    data = np.array(weights) * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
    data /= np.where(norms > 0, norms, 1.0)[rows]
    return sparse.csr_matrix((data.astype(np.float32), cols, indptr), shape=(n, len(vocab)))


@lru_cache(maxsize=256)
def _tf(count: int) -> float:
    return 1.0 + math.log(count)


def _prior(p: Pool) -> None:
    """Centrality, facts, lead position and recency, less junk and garble."""
    m = p.material
    # Each article weighs the same, however long it is: sum its sentences, normalise, then add up.
    by_article = p.by_article(originals_only=True)
    members = sparse.csr_matrix(
        (
            np.ones(sum(map(len, by_article.values())), dtype=np.float32),
            [i for rows in by_article.values() for i in rows],
            np.cumsum([0, *map(len, by_article.values())]),
        ),
        shape=(len(by_article), len(p.units)),
    )
    centroid = np.zeros(p.matrix.shape[1], dtype=np.float32)
    for v in (members @ p.matrix).toarray():
        centroid += v / (np.linalg.norm(v) or 1.0)
    centroid /= np.linalg.norm(centroid) or 1.0
    central = p.matrix @ centroid
    top = float(central.max()) if len(central) else 1.0
    dates = [a.published for a in m.originals if a.published]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    recency: dict[str, float] = {}
    if first and last and last > first:
        recency = {a.id: (a.published - first) / (last - first) for a in m.articles if a.published}
    for u, c in zip(p.units, central.tolist(), strict=True):
        facts = (
            sum(min(1.0, p.key_weight.get(k, 0.0)) for k in u.keys)
            + 0.7 * len(u.figures)
            + 0.5 * sum(d.startswith("D:") for d in u.dates)
        )
        u.prior = (
            0.4 * c / (top or 1.0)
            + 0.25 * (1.0 - math.exp(-facts / 2))
            + 0.15 * (1.0 - min(u.index, 10) / 12)
            + 0.05 * recency.get(u.article.id, 0.0)
            - 0.6 * min(u.junk, 1.5)
            - 0.3 * u.garble
        )


# --------------------------------------------------------------------------- choosing


def _choose(
    p: Pool, candidates: list[int], n: int, taken: list[int] | None = None
) -> list[tuple[int, float]]:
    """MMR over the best candidates, support from other articles counted in; ``taken`` rows are
    already in the summary and count as redundancy."""
    taken = taken or []
    candidates = sorted(candidates, key=lambda i: -p.units[i].prior)[:_TOP]
    if not candidates or n <= 0:
        return []
    scores = _supported(p, candidates)
    among = p.sims(candidates, candidates + taken)
    chosen: list[int] = []  # positions in ``candidates``
    while len(chosen) < n:
        best, best_value = -1, -math.inf
        for j, i in enumerate(candidates):
            if j in chosen:
                continue
            redundancy = max([among[j, k] for k in chosen] + list(among[j, len(candidates) :]), default=0.0)
            if redundancy >= NEAR_DUPLICATE:
                continue
            # A little spread over articles: one page rarely tells the whole story.
            same = sum(p.units[candidates[k]].article is p.units[i].article for k in chosen)
            value = _LAMBDA * (scores[j] - 0.05 * same) - (1 - _LAMBDA) * redundancy
            if value > best_value:
                best, best_value = j, value
        if best < 0:
            break
        chosen.append(best)
    return [(candidates[j], float(scores[j])) for j in chosen]


def _supported(p: Pool, rows: list[int]) -> np.ndarray:
    """Prior plus the share of other outlets that say much the same."""
    sims = p.sims(rows)
    names = {o: k for k, o in enumerate(dict.fromkeys(u.article.outlet or u.article.id for u in p.units))}
    outlet = np.array([names[u.article.outlet or u.article.id] for u in p.units])
    copy = np.array([u.copy for u in p.units])
    n_outlets = len(set(outlet[~copy].tolist()))
    scores = np.empty(len(rows))
    for j, i in enumerate(rows):
        agree = np.unique(outlet[(sims[j] >= 0.3) & ~copy & (outlet != outlet[i])])
        scores[j] = p.units[i].prior + 0.15 * len(agree) / max(1, n_outlets - 1)
    return scores


def cite(p: Pool, i: int) -> list[dict[str, Any]]:
    """The sentence's own span first, then the closest sentence of each other article that says the same."""
    u = p.units[i]
    out = [_citation(u)]
    sims = p.sims([i])[0]
    best: dict[str, tuple[float, Unit]] = {}
    for k in np.nonzero(sims >= 0.8 * NEAR_DUPLICATE)[0]:
        v, s = p.units[k], sims[k]
        if v.article.id == u.article.id:
            continue
        # Across languages only shared facts can make sentences "the same"; ask for more of them.
        if v.lang != u.lang and (s < 0.4 or len(u.facts & v.facts) + len(u.keys & v.keys) < 3):
            continue
        if s >= NEAR_DUPLICATE * (0.8 if v.lang != u.lang else 1.0) and s > best.get(v.article.id, (0, u))[0]:
            best[v.article.id] = (float(s), v)
    for _, v in sorted(best.values(), key=lambda sv: -sv[0]):
        out.append(_citation(v))
    return out


def _citation(u: Unit) -> dict[str, Any]:
    a = u.article
    return {
        "article_id": a.id,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "span": [u.start, u.end],
    }


def item(p: Pool, i: int, score: float, lang: str) -> dict[str, Any]:
    u = p.units[i]
    return {
        "text": u.text,
        "lang": u.lang,
        "from_lang": u.lang if u.lang != lang else None,
        "citations": cite(p, i),
        "score": round(score, 4),
    }


def in_order(p: Pool, chosen: list[int]) -> list[int]:
    """Chronologically by article, then by place in the article."""
    order = {a.id: k for k, a in enumerate(p.material.articles)}
    return sorted(chosen, key=lambda i: (order[p.units[i].article.id], p.units[i].index))


def usable(p: Pool, lang: str | None = None, strict: bool = True) -> list[int]:
    """Candidates in ``lang`` (any, when None) that are neither furniture nor garbled; ``strict=False``
    lets garbled ones in, for a story that has nothing better."""
    return [
        i
        for i, u in enumerate(p.units)
        if not u.copy and (lang is None or u.lang == lang) and u.junk < 1 and (u.garble < 1.5 or not strict)
    ]


def summarize(
    material: Material, lang: str = "en", n: int = 5, pool_: Pool | None = None
) -> list[dict[str, Any]]:
    """A cited extractive summary of ``n`` (3 to 6) sentences in the reader's language.

    Sentences in ``lang`` come first; one from another language joins only when
    it states a figure or a dated event that nothing in ``lang`` states, and is
    marked ``from_lang``. Each item is ``{"text", "lang", "from_lang",
    "citations": [{"article_id", "outlet", "published", "span"}], "score"}``;
    the first citation's span is exactly ``text``.
    """
    n = max(MIN_SENTENCES, min(MAX_SENTENCES, n))
    p = pool_ or pool(material)
    own = usable(p, lang)
    chosen = _choose(p, own, n)
    others = [i for i in usable(p) if p.units[i].lang != lang]
    if len(chosen) < MIN_SENTENCES:
        # Too little in the reader's language: the story is told in the others.
        taken = [i for i, _ in chosen]
        chosen += _choose(p, others, n - len(chosen), taken)
        if len(chosen) < MIN_SENTENCES:
            taken = [i for i, _ in chosen]
            rest = [i for i in usable(p, strict=False) if i not in taken]
            chosen += _choose(p, rest, MIN_SENTENCES - len(chosen), taken)
    elif others:
        covered = set().union(*(p.units[i].fact_values for i in own))
        extra = [i for i in others if p.units[i].news - covered]
        added = _choose(p, extra, 1, [i for i, _ in chosen])
        if added and added[0][1] >= 0.5 * min(c[1] for c in chosen):
            if len(chosen) >= n:
                chosen.remove(min(chosen, key=lambda c: c[1]))
            chosen += added
    scores = dict(chosen)
    return [item(p, i, scores[i], lang) for i in in_order(p, list(scores))]


# --------------------------------------------------------------------------- headline

_NEWSLETTER = re.compile(r"\||issue\s*#|\bweekly\b|newsletter|digest|briefing|周报|…$|\.\.\.$", re.IGNORECASE)


def headline(material: Material, lang: str = "en") -> dict[str, Any]:
    """A real headline in the reader's language: the most central clean title.

    Returns ``{"text", "article_id", "lang"}``. A title in two languages
    ("Launch recap | 发布会回顾") gives its half in ``lang``; a newsletter's,
    an over-long or a machine-translated page's title is taken only when no
    article has a better one.
    """
    arts = [a for a in material.originals if a.title.strip()]
    if not arts:
        return {"text": material.story.title, "article_id": None, "lang": lang}
    vecs = {aid: v for aid, v in material.embeddings.items() if v is not None}
    centre = np.mean(list(vecs.values()), axis=0) if vecs else None
    garble = _article_garble(material)

    def score(a: Article) -> float:
        title = _title_in(a.title, lang)
        t_lang = script_lang(title, a.lang)
        s = 0.0 if t_lang == lang else -2.0
        if centre is not None and a.id in vecs:
            v = vecs[a.id]
            s += float(v @ centre / ((np.linalg.norm(v) * np.linalg.norm(centre)) or 1.0))
        if _NEWSLETTER.search(title) or len(title) > 120 or (len(title.split()) < 3 and t_lang != "zh"):
            s -= 1.0
        if t_lang not in ("zh", "ja") and _HAN.search(title):
            s -= 0.5  # a title in two scripts
        return s - garble.get(a.id, 0.0)

    best = max(arts, key=score)
    text = _title_in(best.title, lang)
    return {"text": text, "article_id": best.id, "lang": script_lang(text, best.lang)}


def _title_in(title: str, lang: str) -> str:
    """The part of a "title | 标题" in ``lang``, else the whole title."""
    title = title.strip()
    parts = [p.strip() for p in re.split(r"\s+[|｜/]\s+", title) if p.strip()]
    if len(parts) > 1:
        mine = [p for p in parts if script_lang(p, lang) == lang]
        if len(mine) == 1:
            return mine[0]
    return title


def _article_garble(material: Material) -> dict[str, float]:
    """Mean garble of each article's clean sentences (machine-translated pages score high)."""
    p = pool(material)
    sums: dict[str, list[float]] = {}
    for u in p.units:
        if u.junk < 1 and not u.copy:
            sums.setdefault(u.article.id, []).append(u.garble)
    return {aid: sum(g) / len(g) for aid, g in sums.items()}
