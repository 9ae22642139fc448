"""A story's brief: the page a reader wants, every item tied to its sources.

Built from one read of the store (``Material``) by the pure synthesis
modules, then cached in the store under a version that names everything it
was built from (the story's last change, its posts, its storyline, the day
and the options), so an unchanged story is served without rebuilding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article, Story, Storyline
from ..store import Store
from ..views import article_row
from .material import Material, load_material, sentence_of

__all__ = ["BRIEF_FORMAT", "BriefOptions", "brief", "brief_version", "build_brief", "storyline_brief"]


def _code_stamp() -> str:
    """A digest of the code that builds briefs: cached briefs from other code are rebuilt."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *(here.parent / "nlp").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


BRIEF_FORMAT = _code_stamp()
_PEOPLE = 12
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """How to build a brief: the reader's language, the day statuses are judged on, the writer."""

    lang: str = "en"
    today: date | None = None
    writer: str = "extractive"  # or "llm"
    llm_url: str | None = None
    llm_model: str = "default"
    llm_key: str | None = None

    @property
    def variant(self) -> str:
        return f"{self.lang}:{self.writer}"


def brief_version(store: Store, story: Story, options: BriefOptions, story_ids: Sequence[str]) -> str:
    """What a brief depends on; a cached brief with another version is stale."""
    posts, last_post = store.post_stamp(story_ids)
    line = store.storyline_stamp(story.storyline_id) if story.storyline_id else ""
    today = (options.today or date.today()).isoformat()
    return "|".join(
        [BRIEF_FORMAT, story.updated, str(len(story.article_ids)), f"{posts}.{last_post}", line, today]
    )


def brief(
    store: Store,
    story: Story,
    options: BriefOptions | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """The brief of ``story``: from the cache when nothing it depends on changed, else built and cached."""
    options = options or BriefOptions()
    return _cached(
        store, story, [story.id], options, lambda: build_brief(store, story, options, encode=encode)
    )


def storyline_brief(
    store: Store,
    line: Storyline,
    options: BriefOptions | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """A storyline read as one story (summary, merged timeline, conflicts ... of all its stories),
    with its stories listed in time order."""
    options = options or BriefOptions()
    stories = sorted(store.stories(ids=line.story_ids), key=lambda s: (s.first is None, s.first, s.id))
    whole = Story(
        id=line.id,
        storyline_id=line.id,
        title=line.title,
        article_ids=[aid for s in stories for aid in s.article_ids],
        first=line.first,
        last=line.last,
        langs=line.langs,
        outlets=sorted({o for s in stories for o in s.outlets}),
        updated=max((s.updated for s in stories), default=""),
        copies=sum(s.copies for s in stories),
    )

    def build() -> dict[str, Any]:
        out = build_brief(store, whole, options, encode=encode, story_ids=[s.id for s in stories])
        out["kind"] = "storyline"
        out["related"] = []
        out["stories"] = [
            {
                "id": s.id,
                "title": s.title,
                "first": _iso(s.first),
                "last": _iso(s.last),
                "n_articles": s.n_articles,
                "langs": s.langs,
                "outlets": s.outlets,
            }
            for s in stories
        ]
        return out

    return _cached(store, whole, [s.id for s in stories], options, build)


def _cached(
    store: Store,
    story: Story,
    story_ids: Sequence[str],
    options: BriefOptions,
    build: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    version = brief_version(store, story, options, story_ids)
    body = store.cached_brief(story.id, options.variant, version)
    if body is not None:
        return json.loads(body)
    built = build()
    store.cache_brief(story.id, options.variant, version, json.dumps(built, ensure_ascii=False))
    return built


def build_brief(
    store: Store,
    story: Story,
    options: BriefOptions | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    story_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Build the brief afresh (``brief`` is the cached way in)."""
    from ..store.posts import story_posts
    from .commitments import commitments
    from .conflicts import conflicts
    from .coverage import coverage
    from .keypoints import key_points
    from .reactions import reactions
    from .related import related_stories
    from .summary import headline, summarize
    from .timeline import merged_timeline

    options = options or BriefOptions()
    story_ids = story_ids or [story.id]
    m = load_material(store, story, today=options.today, story_ids=story_ids)
    summary = summarize(m, lang=options.lang)
    out: dict[str, Any] = {
        "id": story.id,
        "kind": "story",
        "title": story.title,
        "headline": headline(m, options.lang),
        "lang": options.lang,
        "writer": "extractive",
        "storyline": story.storyline_id,
        "storyline_title": m.storyline.title if m.storyline else None,
        "first": _iso(story.first),
        "last": _iso(story.last),
        "langs": story.langs,
        "outlets": story.outlets,
        "n_articles": story.n_articles,
        "copies": story.copies,
        "summary": summary,
        "key_points": key_points(m, lang=options.lang, exclude=summary),
        "timeline": merged_timeline(m.events, m.names),
        "people": _people(m),
        "entities": m.entities,
        "repaired_names": m.repairs,
        "quotes": _quotes(m),
        "figures": _figures(m),
        "coverage": coverage(m),
        "conflicts": conflicts(m),
        "commitments": commitments(m.events, m.today),
        "reactions": reactions([p for sid in story_ids for p in story_posts(store, sid)]),
        "related": related_stories(store, story),
        "articles": [article_row(a) for a in m.articles],
        "built_for": m.today.isoformat(),
    }
    if options.writer == "llm":
        out.update(_written(out, options, encode))
    return out


def _written(
    out: dict[str, Any], options: BriefOptions, encode: Callable[[list[str]], np.ndarray] | None
) -> dict[str, Any]:
    """The summary rewritten into prose by a language model; unsupported sentences dropped."""
    from .writer import write

    if encode is None:
        from ..embed import encode as encode_default

        encode = encode_default
    if not options.llm_url:
        from .writer import WriterError

        raise WriterError("--writer llm needs the address of a model server: set STORYLINE_LLM_URL")
    items = out["summary"] + out["key_points"]
    result = write(
        items,
        out["headline"]["text"],
        options.lang,
        url=options.llm_url,
        model=options.llm_model,
        key=options.llm_key,
        encode=encode,
    )
    return {
        "writer": "llm",
        "written": {
            "model": result.model,
            "url": result.url,
            "sentences": result.sentences,
            "dropped": result.dropped,
        },
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _people(m: Material) -> list[dict[str, Any]]:
    """People and organisations, most mentioned first, with their roles and how many sources give each."""
    out = []
    for e in m.entities:
        if e["type"] not in ("person", "organisation"):
            continue
        out.append(
            {
                "key": e["key"],
                "name": e["name"],
                "type": e["type"],
                "mentions": e["mentions"],
                "aliases": [a["text"] for a in e["aliases"] if a["text"] != e["name"]][:6],
                "roles": [
                    {
                        "role": r["role"],
                        "n_sources": len({s["article_id"] for s in r["sources"]}),
                        "sources": r["sources"],
                    }
                    for r in e["roles"][:4]
                ],
            }
        )
        if len(out) == _PEOPLE:
            break
    return out


def _source(a: Article, start: int, end: int) -> dict[str, Any]:
    return {"article_id": a.id, "outlet": a.outlet, "published": _iso(a.published), "span": [start, end]}


def _quotes(m: Material) -> list[dict[str, Any]]:
    """Quotes with their speakers; the same words reported by several articles are one quote."""
    merged: dict[tuple[str | None, str], dict[str, Any]] = {}
    for a in m.originals:
        for q in m.notes.get(a.id, {}).get("quotes", []):
            text = a.text[q["start"] : q["end"]].strip()
            if len(text) < 12:
                continue
            key = (q["speaker_key"], _fold(text))
            item = merged.get(key)
            if item is None:
                item = merged[key] = {
                    "text": text,
                    "kind": q["kind"],
                    "speaker_key": q["speaker_key"],
                    # A speaker the tagger missed has a key but no entity: show the name as written.
                    "speaker": m.names.get(q["speaker_key"], q["source"]) if q["speaker_key"] else None,
                    "source": q["source"],
                    "cue": q["cue"],
                    "lang": _lang_at(a, q["start"]),
                    "article_id": a.id,
                    "outlet": a.outlet,
                    "published": _iso(a.published),
                    "span": [q["start"], q["end"]],
                    "sources": [],
                }
            item["sources"].append(_source(a, q["start"], q["end"]))
    quotes = list(merged.values())
    # Attributed direct quotes first: they are what a reader looks for.
    quotes.sort(key=lambda q: (q["speaker_key"] is None, q["kind"] != "direct", -len(q["sources"])))
    return quotes


def _figures(m: Material) -> list[dict[str, Any]]:
    """Figures with what they quantify; one entry per (value, unit, what) with all its sources."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for a in m.originals:
        for f in m.notes.get(a.id, {}).get("figures", []):
            key = (f["value"], f["unit"], (f["what"] or "").casefold(), f["ticker"])
            s, e = sentence_of(a, f["start"])
            item = merged.get(key)
            if item is None:
                item = merged[key] = {
                    **{k: f[k] for k in ("text", "kind", "value", "unit", "what", "ticker", "change")},
                    "sentence": a.text[s:e],
                    "article_id": a.id,
                    "outlet": a.outlet,
                    "published": _iso(a.published),
                    "span": [f["start"], f["end"]],
                    "sources": [],
                }
            item["sources"].append(_source(a, f["start"], f["end"]))
    return sorted(merged.values(), key=lambda f: (-len(f["sources"]), f["what"] is None))


def _lang_at(a: Article, offset: int) -> str:
    for s in a.sentences:
        if s.start <= offset < s.end:
            return s.lang
    return a.lang


def _fold(text: str) -> str:
    # \w is exactly the alphanumerics plus "_": the same as keeping ``isalnum`` characters, at C speed.
    return _NOT_ALNUM.sub("", text.casefold())
