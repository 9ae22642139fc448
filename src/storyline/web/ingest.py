"""Posted articles and posts: from the request body to the pipeline, and back as one answer per item.

A body is one JSON object, a JSON list of objects, ``{"articles": [...]}``
(or ``{"posts": [...]}``), or JSON Lines (``Content-Type:
application/x-ndjson``), with the same fields as the files ``storyline
ingest`` reads. Each item is judged alone: a broken one is reported with its
reason and the others are stored. Items are named ``api:<request tag>[<n>]``
in the store (``origin``), which is also how the answer finds what became of
each.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ..facade import Storyline
from ..ids import article_id
from ..ingest.files import HINT_FIELDS, _record
from ..models import Problem, RawDocument
from .errors import ApiError

__all__ = ["MAX_ITEMS", "article_docs", "ingest_articles", "ingest_posts", "parse_items", "request_tag"]

MAX_ITEMS = 1000
_BODY_FIELDS = ("text", "html")
_ARTICLE_FIELDS = frozenset((*_BODY_FIELDS, *HINT_FIELDS, "outlet"))
_POST_FIELDS = frozenset(("text", "author", "posted", "url", "lang", "reply_to", "quote_of"))
_JSON_LINES = (
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/json-lines",
)


def request_tag() -> str:
    """A name for one request's items: when it came, and random bits so no two requests share it."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def parse_items(body: bytes, content_type: str, key: str) -> list[Any]:
    """The items of a request body (each a parsed JSON value, or a Problem for a broken line)."""
    if not body.strip():
        raise ApiError(400, f"the request body is empty; send a JSON object, a list, or {{{key!r}: [...]}}")
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _JSON_LINES:
        items: list[Any] = []
        for n, line in enumerate(body.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                items.append(Problem(f"line {n}", f"invalid JSON on this line: {exc}"))
    elif media in ("", "application/json") or media.endswith("+json"):
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"the request body is not valid JSON: {exc}", code="invalid_json") from None
        if isinstance(data, dict) and isinstance(data.get(key), list):
            items = data[key]
        elif isinstance(data, list):
            items = data
        elif isinstance(data, dict):
            items = [data]
        else:
            raise ApiError(400, f"expected a JSON object or a list of objects, found {type(data).__name__}")
    else:
        raise ApiError(
            415,
            f"cannot read a body of type {media!r}: send application/json or application/x-ndjson",
        )
    if not items:
        raise ApiError(400, f"the request holds no {key}; send at least one")
    if len(items) > MAX_ITEMS:
        raise ApiError(
            413,
            f"{len(items)} {key} in one request is over the limit of {MAX_ITEMS}; split them into batches",
            details={"items": len(items), "limit": MAX_ITEMS},
        )
    return items


def _unknown_fields(obj: dict[str, Any], known: frozenset[str]) -> list[str]:
    return [f"unknown field {name!r} ignored" for name in sorted(set(obj) - known)]


def article_docs(items: Sequence[Any], tag: str) -> tuple[list[RawDocument | Problem], dict[str, list[str]]]:
    """Each item as a RawDocument or a Problem saying why not; and warnings by origin."""
    docs: list[RawDocument | Problem] = []
    warnings: dict[str, list[str]] = {}
    for i, obj in enumerate(items):
        origin = f"api:{tag}[{i}]"
        if isinstance(obj, Problem):
            docs.append(Problem(origin, f"{obj.origin}: {obj.reason}"))
            continue
        if isinstance(obj, dict):
            bad = [
                k for k in (*HINT_FIELDS, "outlet") if obj.get(k) is not None and not isinstance(obj[k], str)
            ]
            if bad:
                found = type(obj[bad[0]]).__name__
                docs.append(Problem(origin, f"{bad[0]!r} must be a string, found {found}"))
                continue
            warnings[origin] = _unknown_fields(obj, _ARTICLE_FIELDS)
            if obj.get("outlet") and not obj.get("source"):
                obj = {**obj, "source": obj["outlet"]}
        docs.append(_record(obj, origin))
    return docs, warnings


def ingest_articles(
    sl: Storyline, docs: Sequence[RawDocument | Problem], warned: dict[str, list[str]]
) -> dict:
    """Run the pipeline over the documents (on the writer) and say what became of each item."""
    started = time.perf_counter()
    raws = [d for d in docs if isinstance(d, RawDocument)]
    report = sl.ingest_documents(raws) if raws else None
    # Searches find what was just stored.
    sl.index_for_search()
    stored = sl.placement([d.origin for d in raws])
    problems: dict[str, list[Problem]] = {}
    for p in [*(d for d in docs if isinstance(d, Problem)), *(report.problems if report else [])]:
        problems.setdefault(p.origin, []).append(p)
    items = []
    for i, doc in enumerate(docs):
        found = problems.get(doc.origin, [])
        item: dict[str, Any] = {"index": i, "origin": doc.origin}
        if doc.origin in stored:
            aid, dup_of, sid = stored[doc.origin]
            item.update(status="duplicate" if dup_of else "stored", id=aid, story_id=sid, duplicate_of=dup_of)
        elif any(p.fatal for p in found) or isinstance(doc, Problem):
            item.update(status="rejected", reasons=[p.reason for p in found if p.fatal])
        else:
            # Already in the store under the same id (its URL, or the same text).
            url = doc.hints.get("url") if isinstance(doc, RawDocument) else None
            item.update(status="unchanged", id=article_id(url, "") if url else None)
        notes = warned.get(doc.origin, []) + [p.reason for p in found if not p.fatal]
        if notes:
            item["warnings"] = notes
        items.append(item)
    counts = Counter(item["status"] for item in items)
    return {
        "stored": counts["stored"],
        "duplicates": counts["duplicate"],
        "unchanged": counts["unchanged"],
        "rejected": counts["rejected"],
        "stories_created": report.stories_created if report else 0,
        "stories_updated": report.stories_updated if report else 0,
        "seconds": round(time.perf_counter() - started, 3),
        "items": items,
    }


def ingest_posts(sl: Storyline, items: Sequence[Any], tag: str) -> dict:
    """Store posts (on the writer), attach them to stories, and say what became of each item."""
    from ..ingest.posts import Post, parse_post

    started = time.perf_counter()
    parsed: list[Post | Problem] = []
    warned: dict[int, list[str]] = {}
    for i, obj in enumerate(items):
        origin = f"api:{tag}[{i}]"
        if isinstance(obj, Problem):
            parsed.append(Problem(origin, f"{obj.origin}: {obj.reason}"))
            continue
        if isinstance(obj, dict):
            warned[i] = _unknown_fields(obj, _POST_FIELDS)
        parsed.append(parse_post(obj, origin))
    posts = [p for p in parsed if isinstance(p, Post)]
    new = sl.add_posts(posts)
    # A post sent twice in one request is stored once: the first is "stored", the rest "unchanged".
    fresh: dict[str, Post] = {}
    for p in posts:
        if p.id in new:
            fresh.setdefault(p.id, p)
    placed = sl.post_placement([p.id for p in posts])
    answers = []
    for i, p in enumerate(parsed):
        item: dict[str, Any] = {"index": i, "origin": p.origin}
        if isinstance(p, Problem):
            item.update(status="rejected", reasons=[p.reason])
        else:
            sid, how = placed.get(p.id, (None, None))
            status = "stored" if fresh.get(p.id) is p else "unchanged"
            item.update(status=status, id=p.id, story_id=sid, attached_by=how)
        if warned.get(i):
            item["warnings"] = warned[i]
        answers.append(item)
    counts = Counter(item["status"] for item in answers)
    return {
        "stored": counts["stored"],
        "unchanged": counts["unchanged"],
        "rejected": counts["rejected"],
        "seconds": round(time.perf_counter() - started, 3),
        "items": answers,
    }
