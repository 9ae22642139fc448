"""Social posts from JSON Lines -> ``Post`` (or a ``Problem``), and ``ingest_posts`` over a store.

One post per line: ``text`` (required), ``author``, ``posted`` (ISO 8601),
``url``, ``lang`` and optionally ``reply_to``/``quote_of`` (the url or id of
another post, or an article url). A broken line is a ``Problem`` naming
``path:LINE`` and the reason; the other lines go on. A post's id comes from
its url, else from author, time and normalised text, so re-ingesting the
same posts changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..models import Problem
from ..nlp.stance import classify
from ..text.lang import detect

if TYPE_CHECKING:
    from ..store.sqlite import Store

__all__ = ["Post", "PostReport", "ingest_posts", "post_id", "read_posts"]

MAX_LINE_BYTES = 1_000_000
BATCH = 256
_SPACE = re.compile(r"\s+")
_OPTIONAL = ("author", "posted", "url", "lang", "reply_to", "quote_of")


@dataclass(slots=True)
class Post:
    id: str
    origin: str
    text: str
    author: str | None = None
    posted: str | None = None  # ISO 8601 as given, validated
    url: str | None = None
    lang: str = "und"
    reply_to: str | None = None
    quote_of: str | None = None
    stance: str = "neutral"
    stance_score: float = 1.0
    embedding: np.ndarray | None = None


@dataclass(slots=True)
class PostReport:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    attached: dict[str, int] = field(default_factory=dict)  # kind -> posts attached by this run
    unattached: int = 0  # posts in the store without a story after this run
    problems: list[Problem] = field(default_factory=list)


def post_id(url: str | None, author: str | None, posted: str | None, text: str) -> str:
    h = hashlib.blake2b(digest_size=8)
    if url:
        parts = ["url", url.strip()]
    else:
        norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
        parts = ["post", (author or "").strip(), (posted or "").strip(), norm]
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return "p" + h.hexdigest()


def parse_post(obj: Any, origin: str) -> Post | Problem:
    if not isinstance(obj, dict):
        return Problem(origin, f"expected a JSON object, found {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return Problem(origin, "no 'text' field" if text is None else "'text' is empty or not a string")
    fields: dict[str, str | None] = {}
    for name in _OPTIONAL:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return Problem(origin, f"'{name}' must be a string, found {type(value).__name__}")
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    if fields["posted"] is not None:
        try:
            datetime.fromisoformat(fields["posted"].replace("Z", "+00:00"))
        except ValueError:
            return Problem(origin, f"'posted' is not an ISO 8601 time: {fields['posted']!r}")
    text = text.strip()
    return Post(
        id=post_id(fields["url"], fields["author"], fields["posted"], text),
        origin=origin,
        text=text,
        author=fields["author"],
        posted=fields["posted"],
        url=fields["url"],
        lang=fields["lang"] or detect(text),
        reply_to=fields["reply_to"],
        quote_of=fields["quote_of"],
    )


def _lines(path: Path, origin: str) -> Iterator[Post | Problem]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Problem(origin, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{origin}:{lineno}"
            if len(raw) > MAX_LINE_BYTES:
                yield Problem(where, f"line is {len(raw)} bytes, over the limit of {MAX_LINE_BYTES}")
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
            except UnicodeDecodeError:
                yield Problem(where, "line is not UTF-8 text")
                continue
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(where, f"invalid JSON on this line (column {exc.colno}): {exc.msg}")
                continue
            yield parse_post(obj, where)


def read_posts(paths: Sequence[str | Path]) -> Iterator[Post | Problem]:
    """Posts from JSON Lines files, in order, with a Problem for each bad file or line."""
    for given in paths:
        path = Path(given)
        if not path.is_file():
            yield Problem(str(given), "no such file" if not path.exists() else "not a file")
            continue
        yield from _lines(path, str(given))


def _batches(items: Iterator[Post | Problem], report: PostReport) -> Iterator[list[Post]]:
    batch: list[Post] = []
    for item in items:
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        report.seen += 1
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_posts(
    store: Store,
    paths: Sequence[str | Path],
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> PostReport:
    """Read, classify, embed and store posts, then attach every unattached post to a story.

    ``encode`` maps texts to L2-normalised vectors in the articles' space;
    the default is the real model (``storyline.embed.encode``).
    """
    from ..store import posts as post_store

    report = PostReport()
    for batch in _batches(read_posts(paths), report):
        stored, duplicates = store_posts(store, batch, encode)
        report.stored += stored
        report.duplicates += duplicates
    report.attached = post_store.attach(store)
    report.unattached = post_store.count_unattached(store)
    return report


def store_posts(
    store: Store, posts: Sequence[Post], encode: Callable[[Sequence[str]], np.ndarray] | None = None
) -> tuple[int, int]:
    """Embed, classify and store the posts not stored yet; (stored, already stored).

    Attaching them to stories is a separate step (``store.posts.attach``), run once after a batch.
    """
    from ..store import posts as post_store

    if encode is None:
        from ..embed import encode
    known = post_store.known_post_ids(store, [p.id for p in posts])
    fresh: dict[str, Post] = {}
    for post in posts:
        if post.id not in known:
            fresh.setdefault(post.id, post)
    new = list(fresh.values())
    if not new:
        return 0, len(posts)
    vectors = encode([p.text for p in new])
    for post, vec in zip(new, vectors, strict=True):
        # The classifier reads the same vector the attachment uses: one embedding per post.
        stance = classify(post.text, vector=vec)
        post.stance, post.stance_score = stance.label, stance.score
        post.embedding = np.asarray(vec, dtype=np.float32)
    return post_store.write_posts(store, new), len(posts) - len(new)
