"""Plain-data views of what is stored: a story with what its articles say,
entities, timelines. The CLI prints them (JSON or Markdown); the API will
serve the same dicts.

Every item carries the article it came from and its span in that article's
text, so a reader can always go back to the source sentence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from .models import Article, Story
from .nlp.aliases import canonical_key
from .store import Store
from .synth.timeline import merged_timeline, participant_names

__all__ = [
    "article_row",
    "display_name",
    "entities_view",
    "entity_view",
    "resolve_entity",
    "story_row",
    "story_view",
    "timeline_view",
]

_CJK = re.compile(r"[\u3400-\u9fff]")
_TYPES = {"per": "person", "org": "organisation", "loc": "place", "misc": "other"}


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def display_name(key: str, surfaces: Counter[str]) -> str:
    """A readable name: the commonest Latin-script surface that spells the key, else the commonest."""
    bare = key.split(":", 1)[-1]
    spelled = [(n, s) for s, n in surfaces.items() if s.casefold().replace(".", "") == bare]
    if spelled:
        return max(spelled)[1]
    latin = [(n, len(s), s) for s, n in surfaces.items() if not _CJK.search(s)]
    if latin and not _CJK.search(bare):
        # The key is the normalised full name: title-case it rather than show
        # a shorter form ("Trump") as the name of "donald trump".
        return bare.title() if len(bare) > max(latin)[1] else max(latin)[2]
    if surfaces:
        return surfaces.most_common(1)[0][0]
    return bare


def _entity_type(key: str) -> str:
    return _TYPES.get(key.split(":", 1)[0], "other")


def _lang_of(surface: str, article_lang: str | None) -> str:
    return "zh" if _CJK.search(surface) else (article_lang or "und")


class _Entities:
    """Entity rows grouped by their key after repair."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str, str | None, str | None, int, int]]) -> None:
        self.surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self.langs: dict[str, Counter[str]] = defaultdict(Counter)
        self.mentions: Counter[str] = Counter()
        self.articles: Counter[str] = Counter()
        self.stories: dict[str, Counter[str]] = defaultdict(Counter)
        self.repaired: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        for key, tagged, _label, text, lang, story, n, n_articles in rows:
            self.surfaces[key][text] += n
            self.langs[key][_lang_of(text, lang)] += n
            self.mentions[key] += n
            self.articles[key] += n_articles
            if story:
                self.stories[key][story] += n
            if tagged != key:
                repaired = self.repaired[key]
                repaired[(text, tagged)] = repaired.get((text, tagged), 0) + n

    def name(self, key: str) -> str:
        return display_name(key, self.surfaces[key])


def _aliases(ents: _Entities, key: str, reasons: dict[str, str]) -> list[dict[str, Any]]:
    repaired = {text: tagged for text, tagged in ents.repaired.get(key, {})}
    out = []
    for text, n in ents.surfaces[key].most_common():
        item: dict[str, Any] = {"text": text, "lang": _lang_of(text, None), "mentions": n}
        if text in repaired:
            item["repaired_from"] = repaired[text]
            item["reason"] = reasons.get(repaired[text], "")
        out.append(item)
    return out


def _roles(rows: Sequence[dict[str, Any]], texts: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Roles grouped by their normalised form, each spelling with its sources."""
    grouped: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = grouped.setdefault(r["role_key"], {"role": r["role"], "spellings": Counter(), "sources": []})
        g["spellings"][r["role"]] += 1
        g["sources"].append(
            {
                "article_id": r["article_id"],
                "outlet": r["outlet"],
                "published": r["published"],
                "role": r["role"],
                "span": [r["start"], r["end"]],
            }
        )
    out = []
    for g in sorted(grouped.values(), key=lambda g: -len(g["sources"])):
        g["role"] = g["spellings"].most_common(1)[0][0]
        g["spellings"] = dict(g["spellings"])
        out.append(g)
    return out


# --------------------------------------------------------------------------- entities


def resolve_entity(store: Store, name: str) -> list[str]:
    """Keys a user's NAME can mean, most mentioned first: a key, a canonical name, or a surface."""
    found: Counter[str] = Counter()
    candidates = {name} if ":" in name else set()
    candidates |= {canonical_key(name, label) for label in ("PER", "ORG", "LOC", "MISC")}
    for key, n in store.key_counts(sorted(candidates)):
        found[key] += n
    for key, n in store.keys_for_surface(name):
        found[key] += n
    return [k for k, _ in found.most_common()]


def entities_view(
    store: Store, type_: str | None = None, story_ids: Sequence[str] | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    ents = _Entities(store.entity_surfaces(story_ids=story_ids))
    keys = [k for k in ents.mentions if type_ is None or _entity_type(k) == type_]
    keys.sort(key=lambda k: (-ents.mentions[k], k))
    keys = keys[:limit] if limit else keys
    roles_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.entity_roles(keys, story_ids) if keys else []:
        roles_by_key[r["key"]].append(r)
    reasons = _reasons(store, story_ids)
    return [
        {
            "key": k,
            "name": ents.name(k),
            "type": _entity_type(k),
            "mentions": ents.mentions[k],
            "articles": ents.articles[k],
            "stories": len(ents.stories[k]),
            "langs": [lang for lang, _ in ents.langs[k].most_common()],
            "aliases": _aliases(ents, k, reasons),
            "roles": _roles(roles_by_key[k]),
        }
        for k in keys
    ]


def _reasons(store: Store, story_ids: Sequence[str] | None) -> dict[str, str]:
    return {src: why for _, src, _, why in store.merges(story_ids)}


def entity_view(store: Store, key: str) -> dict[str, Any] | None:
    ents = _Entities(store.entity_surfaces(keys=[key]))
    if not ents.mentions[key]:
        return None
    stories = store.stories(ids=list(ents.stories[key]))
    by_day = Counter(day[:10] for day, n in store.mention_days(key) for _ in range(n) if day)
    return {
        "key": key,
        "name": ents.name(key),
        "type": _entity_type(key),
        "mentions": ents.mentions[key],
        "articles": ents.articles[key],
        "langs": [lang for lang, _ in ents.langs[key].most_common()],
        "aliases": _aliases(ents, key, _reasons(store, None)),
        "roles": _roles(store.entity_roles([key])),
        "stories": [
            {"id": s.id, "title": s.title, "mentions": ents.stories[key][s.id], "last": _iso(s.last)}
            for s in sorted(stories, key=lambda s: -ents.stories[key][s.id])
        ],
        "mentions_by_day": dict(sorted(by_day.items())),
    }


# --------------------------------------------------------------------------- timeline


def timeline_view(
    store: Store, story_ids: Sequence[str] | None = None, keys: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Event mentions merged across sources, one entry per event (``synth.timeline``): dated
    entries in date order, then those whose sources give no date that can be placed."""
    rows = store.events(story_ids=story_ids, keys=keys)
    return merged_timeline(rows, participant_names(store, rows))


# --------------------------------------------------------------------------- story


def story_row(story: Story) -> dict[str, Any]:
    """A story's summary line, the same in ``storyline stories --format json`` and the API."""
    return {
        "id": story.id,
        "storyline": story.storyline_id,
        "title": story.title,
        "articles": story.n_articles,
        "copies": story.copies,
        "langs": story.langs,
        "outlets": story.outlets,
        "first": _iso(story.first),
        "last": _iso(story.last),
    }


def article_row(a: Article) -> dict[str, Any]:
    """An article's metadata, as the story views and the brief list it."""
    return {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": _iso(a.published),
        "lang": a.lang,
        "url": a.url,
        "origin": a.origin,
        "duplicate_of": a.dup_of,
    }


def story_view(store: Store, story: Story) -> dict[str, Any]:
    """The story with everything its articles say, each item tied to its article and span."""
    articles = store.articles(story.article_ids)
    by_id = {a.id: a for a in articles}
    notes = store.annotations([a.id for a in articles if a.dup_of is None])
    line = next((x for x in store.storylines() if x.id == story.storyline_id), None)
    entities = entities_view(store, story_ids=[story.id], limit=0)
    names = {e["key"]: e["name"] for e in entities}
    repaired = {src: dst for _, src, dst, _ in store.merges([story.id])}
    quotes, figures = [], []
    for aid, items in notes.items():
        a = by_id[aid]
        for q in items["quotes"]:
            speaker = repaired.get(q["speaker_key"], q["speaker_key"])
            quotes.append(
                {
                    "text": a.text[q["start"] : q["end"]],
                    "kind": q["kind"],
                    "speaker_key": speaker,
                    "speaker": names.get(speaker) if speaker else None,
                    "source": q["source"],
                    "cue": q["cue"],
                    "article_id": aid,
                    "outlet": a.outlet,
                    "published": _iso(a.published),
                    "span": [q["start"], q["end"]],
                }
            )
        for f in items["figures"]:
            figures.append(
                {
                    **{k: f[k] for k in ("text", "kind", "value", "unit", "what", "ticker", "change")},
                    "sentence": _sentence(a, f["start"]),
                    "article_id": aid,
                    "outlet": a.outlet,
                    "published": _iso(a.published),
                    "span": [f["start"], f["end"]],
                }
            )
    return {
        "id": story.id,
        "title": story.title,
        "storyline": story.storyline_id,
        "storyline_title": line.title if line else None,
        "first": _iso(story.first),
        "last": _iso(story.last),
        "langs": story.langs,
        "outlets": story.outlets,
        "n_articles": story.n_articles,
        "copies": story.copies,
        "entities": entities,
        "repaired_names": [
            {"from": src, "to": dst, "to_name": names.get(dst, dst), "reason": why}
            for _, src, dst, why in store.merges([story.id])
        ],
        "timeline": timeline_view(store, story_ids=[story.id]),
        "quotes": quotes,
        "figures": figures,
        "articles": [article_row(a) for a in articles],
    }


def _sentence(a: Article, offset: int) -> str:
    from .synth.material import sentence_of

    start, end = sentence_of(a, offset)
    return a.text[start:end]
