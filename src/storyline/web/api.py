"""The REST API under ``/api/v1``: read stories, briefs, articles, entities, timelines and
search; post articles and social posts. Every route calls the library (the ``Storyline``
facade); the JSON is what the CLI prints with ``--format json``.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from ..facade import Storyline
from ..store import StoreError
from ..store.search import SearchError, SearchHit
from ..views import story_row
from .deps import get_reader, get_state, require_read, require_write
from .errors import ApiError
from .ingest import article_docs, parse_items, request_tag

__all__ = ["Reader", "reads", "writes"]


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (401, "Missing or wrong bearer token"),
        (404, "Not found"),
        (422, "Invalid parameter"),
    )
}

# Two routers with the full prefix, not one nesting the other: route templates (metrics
# labels) are then the whole path.
reads = APIRouter(prefix="/api/v1", responses=_ERRORS, dependencies=[Depends(require_read)])
writes = APIRouter(prefix="/api/v1", responses=_ERRORS, dependencies=[Depends(require_write)])

Reader = Annotated[Storyline, Depends(get_reader)]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page (at most 500)")]
BriefLang = Annotated[Literal["en", "zh"], Query(description="the reader's language")]
Today = Annotated[
    date | None, Query(description="judge deadlines and statuses as of this day (YYYY-MM-DD); default today")
]


_HIT_FIELDS = tuple(f.name for f in fields(SearchHit))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    return {"total": len(items), "offset": offset, "limit": limit, "items": items[offset : offset + limit]}


def _not_found(what: str, given: str, where: str) -> ApiError:
    return ApiError(404, f"no {what} {given!r}; list them at {where}", details={what: given})


# --------------------------------------------------------------------------- storylines and stories


@reads.get("/storylines", summary="Storylines, largest first")
def list_storylines(sl: Reader, offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
    rows = [
        {
            "id": line.id,
            "title": line.title,
            "articles": line.n_articles,
            "langs": line.langs,
            "first": _iso(line.first),
            "last": _iso(line.last),
            "stories": line.story_ids,
        }
        for line in sl.storylines()
    ]
    return _page(rows, offset, limit)


@reads.get("/storylines/{storyline_id}", summary="One storyline with its stories")
def get_storyline(sl: Reader, storyline_id: str) -> dict[str, Any]:
    line = sl.storyline(storyline_id)
    if line is None:
        raise _not_found("storyline", storyline_id, "/api/v1/storylines")
    stories = sl.stories(storyline=line.id)
    return {
        "id": line.id,
        "title": line.title,
        "articles": line.n_articles,
        "langs": line.langs,
        "first": _iso(line.first),
        "last": _iso(line.last),
        "stories": [story_row(s) for s in sorted(stories, key=lambda s: line.story_ids.index(s.id))],
    }


@reads.get("/stories", summary="Stories, most recent first, filtered and paginated")
def list_stories(
    sl: Reader,
    storyline: Annotated[str | None, Query(description="only this storyline's stories")] = None,
    lang: Annotated[
        str | None, Query(description="only stories with articles in this language (en, zh…)")
    ] = None,
    outlet: Annotated[str | None, Query(description="only stories with an article from this outlet")] = None,
    entity: Annotated[
        str | None, Query(description="only stories mentioning this entity (any spelling)")
    ] = None,
    since: Annotated[
        date | None, Query(description="only stories with articles on or after this day")
    ] = None,
    until: Annotated[
        date | None, Query(description="only stories with articles on or before this day")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    if since and until and since > until:
        raise ApiError(422, f"since ({since}) is after until ({until})", details={"since": str(since)})
    total, stories = sl.stories_page(
        storyline=storyline,
        lang=lang,
        outlet=outlet,
        entity=entity,
        since=since,
        until=until,
        offset=offset,
        limit=limit,
    )
    return {"total": total, "offset": offset, "limit": limit, "items": [story_row(s) for s in stories]}


@reads.get("/stories/{story_id}", summary="One story with what its articles say")
def get_story(sl: Reader, story_id: str) -> dict[str, Any]:
    view = sl.story_view(story_id)
    if view is None:
        raise _not_found("story", story_id, "/api/v1/stories")
    return view


def _brief(sl: Storyline, subject: str, lang: str, today: date | None, what: str, where: str) -> dict:
    brief = sl.brief(subject, lang=lang, today=today)
    if brief is None:
        raise _not_found(what, subject, where)
    return brief


@reads.get(
    "/stories/{story_id}/brief",
    summary="A story's brief",
    description="The same JSON as `storyline show STORY --format json`: headline, cited summary, key points, "
    "timeline, entities, quotes, figures, coverage, conflicts, commitments, reactions, related stories.",
)
def story_brief(sl: Reader, story_id: str, lang: BriefLang = "en", today: Today = None) -> dict[str, Any]:
    return _brief(sl, story_id, lang, today, "story", "/api/v1/stories")


@reads.get("/storylines/{storyline_id}/brief", summary="A storyline's brief")
def storyline_brief(
    sl: Reader, storyline_id: str, lang: BriefLang = "en", today: Today = None
) -> dict[str, Any]:
    return _brief(sl, storyline_id, lang, today, "storyline", "/api/v1/storylines")


# --------------------------------------------------------------------------- articles


@reads.get(
    "/articles/{article_id}",
    summary="One article: cleaned text, metadata, extracted spans, duplicates",
    description="Spans are [start, end) character offsets into `text`; entity mentions found in the title "
    "have negative offsets, counted as if the title sat just before the text.",
)
def get_article(sl: Reader, article_id: str) -> dict[str, Any]:
    found = sl.articles([article_id])
    if not found:
        raise ApiError(404, f"no article {article_id!r}; find articles with /api/v1/search")
    a = found[0]
    story = sl.story(a.story_id) if a.story_id else None
    siblings = sl.articles(story.article_ids) if story else []
    return {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "published": _iso(a.published),
        "outlet": a.outlet,
        "lang": a.lang,
        "langs": a.langs,
        "origin": a.origin,
        "story_id": a.story_id,
        "storyline_id": story.storyline_id if story else None,
        "duplicate_of": a.dup_of,
        "duplicates": [
            {"id": d.id, "title": d.title, "outlet": d.outlet, "url": d.url, "published": _iso(d.published)}
            for d in siblings
            if d.dup_of == a.id
        ],
        "warnings": a.warnings,
        "text": a.text,
        "paragraphs": [[p.start, p.end, p.lang] for p in a.paragraphs],
        "sentences": [[s.start, s.end, s.lang] for s in a.sentences],
        "annotations": sl.annotations(a.id),
    }


# --------------------------------------------------------------------------- entities, timeline, upcoming


@reads.get("/entities", summary="Entities, most mentioned first")
def list_entities(
    sl: Reader,
    type: Annotated[
        Literal["person", "organisation", "place", "other"] | None, Query(description="only this type")
    ] = None,
    story: Annotated[str | None, Query(description="only entities of this story")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    if story is not None and sl.story(story) is None:
        raise _not_found("story", story, "/api/v1/stories")
    rows = sl.entities(type_=type, story_id=story, limit=offset + limit)
    page = _page(rows, offset, limit)
    # The view stops at offset + limit: the true total is unknown past it.
    del page["total"]
    return page


@reads.get("/entities/{name:path}", summary="One entity by key, name or any spelling seen")
def get_entity(
    sl: Reader, name: Annotated[str, Path(description="Bessent, 贝森特, per:scott bessent…")]
) -> dict:
    view = sl.entity(name)
    if view is None:
        raise _not_found("entity", name, "/api/v1/entities")
    return view


@reads.get("/timeline", summary="Dated events merged across sources")
def timeline(
    sl: Reader,
    story: Annotated[str | None, Query(description="a story's timeline")] = None,
    storyline: Annotated[str | None, Query(description="a storyline's timeline")] = None,
    entity: Annotated[str | None, Query(description="the events an entity takes part in")] = None,
) -> dict[str, Any]:
    if story is not None and sl.story(story) is None:
        raise _not_found("story", story, "/api/v1/stories")
    if storyline is not None and sl.storyline(storyline) is None:
        raise _not_found("storyline", storyline, "/api/v1/storylines")
    entries = sl.timeline(story_id=story, storyline_id=storyline, entity=entity)
    return {"total": len(entries), "items": entries}


@reads.get("/upcoming", summary="Deadlines, expiries, meetings and pledges due soon, in all stories")
def upcoming(
    sl: Reader,
    days: Annotated[int, Query(ge=1, le=3660, description="how far ahead to look")] = 30,
    today: Today = None,
) -> dict[str, Any]:
    items = sl.upcoming(days=days, today=today)
    return {"total": len(items), "items": items}


# --------------------------------------------------------------------------- search


@reads.get(
    "/search",
    summary="Full-text or semantic search over articles",
    description="`mode=text`: articles containing every word of `q` (Chinese is segmented into words; "
    "traditional and simplified characters match each other), ranked by BM25, title words counting more. "
    "`mode=semantic`: articles closest in meaning to `q` in any language (cosine similarity of "
    "multilingual sentence embeddings). Syndicated copies are left out. `snippet` is `text[span[0]:span[1]]` "
    "of the article; `highlights` are offsets of the matched words in the snippet.",
)
def search(
    request: Request,
    sl: Reader,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words or a sentence")],
    mode: Annotated[Literal["text", "semantic"], Query()] = "text",
    lang: Annotated[str | None, Query(description="only articles in this language")] = None,
    outlet: Annotated[str | None, Query(description="only articles from this outlet (any case)")] = None,
    since: Annotated[date | None, Query(description="only articles published on or after this day")] = None,
    until: Annotated[date | None, Query(description="only articles published on or before this day")] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    try:
        total, hits = sl.search(
            q,
            mode=mode,
            lang=lang,
            outlet=outlet,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
            index=get_state(request).vectors,
        )
    except SearchError as exc:
        raise ApiError(422, str(exc), details={"q": q}) from None
    return {
        "query": q,
        "mode": mode,
        "total": total,
        "offset": offset,
        "limit": limit,
        # Not dataclasses.asdict, which deep-copies every field: a hit's fields are fresh already.
        "items": [{f: getattr(h, f) for f in _HIT_FIELDS} for h in hits],
        # Just after a start or an ingest the writer may still be indexing: say so, not "nothing".
        "unindexed": sl.unindexed() if mode == "text" else 0,
    }


# --------------------------------------------------------------------------- writes

_ARTICLE_SCHEMA = {
    "type": "object",
    "description": "One article, as in a JSON Lines file for `storyline ingest`; `text` or `html` is needed.",
    "properties": {
        "text": {"type": "string", "description": "the article as plain text"},
        "html": {"type": "string", "description": "the article's HTML page (used when there is no text)"},
        "title": {"type": "string"},
        "url": {"type": "string", "description": "the article's URL; it also gives the article its id"},
        "published": {"type": "string", "description": "publication time, ISO 8601 or as the page writes it"},
        "source": {"type": "string", "description": "the outlet"},
        "outlet": {"type": "string", "description": "same as source"},
        "lang": {"type": "string", "description": "ISO 639-1 code, when known"},
    },
}
_POST_SCHEMA = {
    "type": "object",
    "description": "One social post; `text` is required.",
    "properties": {
        "text": {"type": "string"},
        "author": {"type": "string"},
        "posted": {"type": "string", "description": "ISO 8601 time"},
        "url": {"type": "string"},
        "lang": {"type": "string"},
        "reply_to": {"type": "string", "description": "url or id of the post this replies to"},
        "quote_of": {"type": "string", "description": "url or id of the post (or article url) it quotes"},
    },
}


def _body_doc(item: dict[str, Any], key: str) -> dict[str, Any]:
    one_of = {
        "oneOf": [
            item,
            {"type": "array", "items": item, "maxItems": 1000},
            {"type": "object", "properties": {key: {"type": "array", "items": item, "maxItems": 1000}}},
        ]
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": one_of},
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": f"one {key[:-1]} per line"}
                },
            },
        }
    }


_WRITE_NOTE = (
    " Needs `Authorization: Bearer TOKEN` with the server's STORYLINE_API_TOKEN (403 when the server"
    " has none). At most 1,000 items and 10 MB per request. Each item is answered alone: `stored`,"
    " `duplicate` (a near-copy of a stored article, linked to it), `unchanged` (already stored) or"
    " `rejected` with `reasons`; the others are stored even when some are broken. 422 when no item"
    " could be used."
)


async def _write(request: Request, kind: str, *args: Any) -> dict[str, Any]:
    """Have the writer process ingest ``kind`` ("articles", "posts") and answer for each item."""
    state = get_state(request)
    try:
        result = await state.write_client().run(kind, *args)
    except StoreError as exc:
        raise ApiError(409, str(exc), code="writer_busy") from None
    except ApiError:
        raise
    except Exception:
        state.metrics.observe_error("ingest")
        raise
    return _finish(result, request, kind)


def _finish(result: dict[str, Any], request: Request, kind: str) -> dict[str, Any]:
    metrics = get_state(request).metrics
    results = {k: result.get(k, 0) for k in ("stored", "duplicates", "unchanged", "rejected")}
    results["duplicate"] = results.pop("duplicates")
    metrics.observe_ingest(kind, results, result["seconds"])
    if (shared := get_state(request).shared_metrics) is not None:
        # Seen at once by a scrape that another worker answers.
        shared.save()
    if results["rejected"] and not (results["stored"] or results["duplicate"] or results["unchanged"]):
        raise ApiError(422, f"no {kind} could be stored; see each item's reasons", details=result["items"])
    return result


@writes.post(
    "/articles",
    summary="Ingest articles (one or a batch)",
    description="Runs the same pipeline as `storyline ingest`." + _WRITE_NOTE,
    openapi_extra=_body_doc(_ARTICLE_SCHEMA, "articles"),
)
async def post_articles(request: Request) -> dict[str, Any]:
    items = parse_items(await request.body(), request.headers.get("content-type", ""), "articles")
    docs, warned = article_docs(items, request_tag())
    return await _write(request, "articles", docs, warned)


@writes.post(
    "/posts",
    summary="Ingest social posts and attach them to stories",
    description="Posts are attached by link, reply/quote chain or similarity (`attached_by`)." + _WRITE_NOTE,
    openapi_extra=_body_doc(_POST_SCHEMA, "posts"),
)
async def post_posts(request: Request) -> dict[str, Any]:
    items = parse_items(await request.body(), request.headers.get("content-type", ""), "posts")
    return await _write(request, "posts", items, request_tag())
