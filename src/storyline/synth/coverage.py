"""Coverage of a story by outlet and language, and what each outlet stresses that the others do not.

Counts take syndicated copies separately from original reporting. What an
outlet stresses comes from its original articles only (a copy carries another
newsroom's words):

- facts only it reports: people and organisations no other outlet names,
  speakers no other outlet quotes, figures (by value and unit, so a figure in
  Chinese matches one in English) no other outlet gives;
- framing words: terms it uses more than the rest of the story, by the
  log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
  Quinn 2008, "Fightin' Words"), the story's own word counts as the prior.
  Words are compared within a language, so a Chinese outlet is not
  "over-using" every Chinese word; names, numbers and the outlet's own name
  are left out, as they say who and how much, not how.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

from ..models import Article
from ..text.terms import tokens
from .material import Material, sentence_of

__all__ = ["coverage"]

_DIGIT = re.compile(r"\d")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Framing words: seen at least this often in the outlet, with |z| above this.
MIN_COUNT = 3
MIN_Z = 2.33
# The prior's weight, in tokens: it shrinks the odds of rare words toward the story's.
PRIOR_TOKENS = 100.0
# Tokens the other outlets need in a language before words in it are compared.
MIN_REST = 200
PER_KIND = 2
# Shorter quotes are fragments ("margins slip") that say little on their own.
MIN_QUOTE = {"latin": 25, "han": 10}


def coverage(material: Material) -> dict[str, Any]:
    """Who covered the story, in which languages, first and last, and what each outlet stresses.

    Returns ``{"n_articles", "n_copies", "outlets": [{"outlet", "articles", "copies", "langs"}],
    "langs": [{"lang", "articles", "copies"}], "first": report | None, "latest": report | None,
    "by_outlet": [{"outlet", "articles": [ids], "facts": [{"kind": "entity" | "quote" | "figure",
    "text", "key"?, "mentions"?, "source": {...}}], "framing": [{"term", "count", "rest", "z"}]}]}``
    where a report is ``{"article_id", "outlet", "published", "title"}``. Outlets and languages
    come most articles first; ``by_outlet`` lists named outlets with something of their own.
    """
    m = material
    outlets: dict[str | None, list[Article]] = defaultdict(list)
    langs: dict[str, list[Article]] = defaultdict(list)
    for a in m.articles:
        outlets[a.outlet].append(a)
        langs[a.lang].append(a)
    dated = sorted((a for a in m.articles if a.published), key=lambda a: (a.published, a.id))
    return {
        "n_articles": len(m.articles),
        "n_copies": sum(a.dup_of is not None for a in m.articles),
        "outlets": [
            {**_counts(arts), "outlet": name, "langs": sorted({a.lang for a in arts})}
            for name, arts in sorted(
                outlets.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or "")
            )
        ],
        "langs": [
            {**_counts(arts), "lang": lang}
            for lang, arts in sorted(langs.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "first": _report(dated[0]) if dated else None,
        "latest": _report(dated[-1]) if dated else None,
        "by_outlet": _by_outlet(m),
    }


def _counts(articles: list[Article]) -> dict[str, int]:
    copies = sum(a.dup_of is not None for a in articles)
    return {"articles": len(articles) - copies, "copies": copies}


def _report(a: Article) -> dict[str, Any]:
    return {
        "article_id": a.id,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "title": a.title,
    }


def _by_outlet(m: Material) -> list[dict[str, Any]]:
    own: dict[str, list[Article]] = defaultdict(list)
    for a in m.originals:
        if a.outlet and a.id in m.notes:
            own[a.outlet].append(a)
    if len(own) < 2:
        return []  # nothing to set an outlet against
    framing = _framing(m, own)
    out = []
    for outlet, articles in sorted(own.items()):
        facts = _facts(m, outlet, articles, own)
        if facts or framing[outlet]:
            out.append(
                {
                    "outlet": outlet,
                    "articles": [a.id for a in articles],
                    "facts": facts,
                    "framing": framing[outlet],
                }
            )
    return out


# -- facts -------------------------------------------------------------------------------------


def _facts(
    m: Material, outlet: str, articles: list[Article], own: dict[str, list[Article]]
) -> list[dict[str, Any]]:
    others = [a for name, arts in own.items() if name != outlet for a in arts]
    return [
        *_entities(m, outlet, articles, others),
        *_quotes(m, articles, others),
        *_figures(m, articles, others),
    ]


def _entities(
    m: Material, outlet: str, articles: list[Article], others: list[Article]
) -> list[dict[str, Any]]:
    elsewhere = {x["key"] for a in others for x in m.notes[a.id]["mentions"]}
    counts: Counter[str] = Counter()
    first: dict[str, tuple[Article, dict[str, Any]]] = {}
    for a in articles:
        for x in m.notes[a.id]["mentions"]:
            if (
                x["key"].startswith(("per:", "org:"))
                and x["key"] not in elsewhere
                and x["start"] >= 0
                and m.name(x["key"]) != outlet
            ):
                counts[x["key"]] += 1
                first.setdefault(x["key"], (a, x))
    # One passing mention is as likely a tagging slip as a fact; two make it the outlet's own.
    ranked = sorted((k for k, n in counts.items() if n >= 2), key=lambda k: (-counts[k], k))
    out = []
    for key in ranked[:PER_KIND]:
        a, x = first[key]
        out.append(
            {
                "kind": "entity",
                "key": key,
                "text": m.name(key),
                "mentions": counts[key],
                "source": _source(a, x["start"], x["end"]),
            }
        )
    return out


def _quotes(m: Material, articles: list[Article], others: list[Article]) -> list[dict[str, Any]]:
    elsewhere = {q["speaker_key"] for a in others for q in m.notes[a.id]["quotes"]}
    found: dict[str, tuple[Article, dict[str, Any]]] = {}
    for a in articles:
        for q in m.notes[a.id]["quotes"]:
            key = q["speaker_key"]
            text = a.text[q["start"] : q["end"]]
            if (
                key
                and key not in elsewhere
                and len(text) >= MIN_QUOTE["han" if _HAN.search(text) else "latin"]
            ):
                best = found.get(key)
                if best is None or q["end"] - q["start"] > best[1]["end"] - best[1]["start"]:
                    found[key] = (a, q)
    out = []
    for key, (a, q) in sorted(found.items(), key=lambda kv: (-(kv[1][1]["end"] - kv[1][1]["start"]), kv[0])):
        out.append(
            {
                "kind": "quote",
                "key": key,
                "speaker": m.name(key),
                "text": " ".join(a.text[q["start"] : q["end"]].split()),
                "source": _source(a, q["start"], q["end"]),
            }
        )
    return out[:PER_KIND]


def _figures(m: Material, articles: list[Article], others: list[Article]) -> list[dict[str, Any]]:
    elsewhere = {_figure_key(f) for a in others for f in m.notes[a.id]["figures"]}
    out: list[dict[str, Any]] = []
    seen = set()
    for a in articles:
        for f in m.notes[a.id]["figures"]:
            key = _figure_key(f)
            if f["kind"] == "market" or key in elsewhere or key in seen:
                continue  # market moves are the ticker's, not the outlet's reporting
            seen.add(key)
            out.append(
                {
                    "kind": "figure",
                    "text": f["text"],
                    "what": f["what"],
                    "source": _source(a, f["start"], f["end"]),
                }
            )
    # Named quantities first: "$330 million arms sale" says more than "50%".
    out.sort(key=lambda x: x["what"] is None)
    return out[:PER_KIND]


def _figure_key(f: dict[str, Any]) -> tuple[Any, ...]:
    value = f["value"]
    # A count's unit is the thing counted, named differently in each language ("3名", "three astronauts").
    unit = None if f["kind"] == "count" else f["unit"]
    return (f["kind"], unit, round(value, 6) if isinstance(value, float) else value)


def _source(a: Article, start: int, end: int) -> dict[str, Any]:
    s, e = sentence_of(a, max(start, 0))
    return {
        "article_id": a.id,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "span": [start, end],
        "sentence": " ".join(a.text[s:e].split()),
    }


# -- framing words -----------------------------------------------------------------------------


def _framing(m: Material, own: dict[str, list[Article]]) -> dict[str, list[dict[str, Any]]]:
    memo: dict[str, list[str]] = {}
    mentioned = {x["text"] for a in m.originals for x in m.notes[a.id]["mentions"]}
    names = {t for text in mentioned for t in _tokens(Counter(text.split()), memo)}
    # outlet -> language -> term counts
    counts: dict[str, dict[str, Counter[str]]] = {}
    for outlet, articles in own.items():
        skip = names | set(tokens(outlet))
        chunks: dict[str, Counter[str]] = defaultdict(Counter)
        for a in articles:
            chunks[a.lang].update(a.title.split())
            chunks[a.lang].update(a.text.split())
        counts[outlet] = {
            lang: Counter(
                {t: n for t, n in _tokens(c, memo).items() if t not in skip and not _DIGIT.search(t)}
            )
            for lang, c in chunks.items()
        }
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for by_lang in counts.values():
        for lang, c in by_lang.items():
            total[lang].update(c)
    out: dict[str, list[dict[str, Any]]] = {}
    for outlet, by_lang in counts.items():
        found = [
            x for lang, mine in by_lang.items() for x in _fightin_words(mine, total[lang] - mine, total[lang])
        ]
        found.sort(key=lambda x: (-x["z"], x["term"]))
        out[outlet] = found[:PER_KIND]
    return out


def _tokens(chunks: Counter[str], memo: dict[str, list[str]]) -> Counter[str]:
    """The tokens of a text given as its whitespace-separated chunks and their counts.

    No token spans white space, so a text's tokens are those of its chunks, and
    a story's articles share most of their chunks: each is tokenised once."""
    out: Counter[str] = Counter()
    for chunk, n in chunks.items():
        if (found := memo.get(chunk)) is None:
            found = memo[chunk] = tokens(chunk)
        for t in found:
            out[t] += n
    return out


def _fightin_words(mine: Counter[str], rest: Counter[str], total: Counter[str]) -> list[dict[str, Any]]:
    """Words ``mine`` over-uses against ``rest``: z-scored log-odds, prior ``total`` scaled."""
    n_mine, n_rest, n_total = sum(mine.values()), sum(rest.values()), sum(total.values())
    if not n_mine or n_rest < MIN_REST:
        return []
    scale = PRIOR_TOKENS / n_total
    a0 = PRIOR_TOKENS
    out = []
    for term, y_i in mine.items():
        if y_i < MIN_COUNT:
            continue
        y_j = rest.get(term, 0)
        a_w = total[term] * scale
        delta = math.log((y_i + a_w) / (n_mine + a0 - y_i - a_w)) - math.log(
            (y_j + a_w) / (n_rest + a0 - y_j - a_w)
        )
        z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
        if z >= MIN_Z:
            out.append({"term": term, "count": y_i, "rest": y_j, "z": round(z, 2)})
    return out
