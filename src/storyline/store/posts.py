"""Social posts in the store: write them, attach them to stories, read a story's posts.

Attachment, strongest evidence first:

1. ``link``: the post's url, a url in its text, or the url it replies to or
   quotes is an article's url -> that article's story (score 1.0).
2. ``reply``/``quote``: it replies to or quotes a post that is attached ->
   the same story (the parent's score), followed along chains.
3. ``similarity``: the post's embedding against each story's centroid (mean
   of its article embeddings); the best story above ``SIMILARITY_THRESHOLD``,
   with shared content terms breaking near-ties. Replies to unattached posts
   wait for their parent to be placed first, so a thread stays together.

Posts that match nothing keep ``story_id`` NULL and are tried again on the
next ingest, when more articles may have arrived.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from ..text.terms import tokens

if TYPE_CHECKING:
    from ..ingest.posts import Post
    from .sqlite import Store

__all__ = [
    "SIMILARITY_THRESHOLD",
    "attach",
    "count_posts",
    "count_unattached",
    "known_post_ids",
    "placement",
    "story_posts",
    "url_key",
    "write_posts",
]

# Measured on the demo posts (demo/posts.jsonl, field gold_story): posts on a
# story score 0.32-0.67 against its centroid (one at 0.24), off-topic posts
# under 0.16. Below it a post is about the topic but not any one story.
SIMILARITY_THRESHOLD = 0.30
# Within this much of the best centroid, the story sharing more terms wins.
_TIE_MARGIN = 0.03
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]{}，。、）]+", re.I)
_CHAIN_KINDS = (("reply_to", "reply"), ("quote_of", "quote"))


def url_key(url: str) -> str:
    """A url as compared: scheme, ``www.``, fragment and trailing slash or punctuation ignored."""
    u = url.strip().rstrip(".,;:!?")
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u, flags=re.I)
    u = u.split("#", 1)[0].rstrip("/")
    host, sep, rest = u.partition("/")
    host = host.lower().removeprefix("www.")
    return host + sep + rest


def known_post_ids(store: Store, ids: Iterable[str]) -> set[str]:
    ids = list(ids)
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in store.conn.execute(f"SELECT id FROM posts WHERE id IN ({marks})", chunk))
    return found


def write_posts(store: Store, posts: Sequence[Post]) -> int:
    """Insert posts (unattached); ones already stored are left as they are. Returns how many were new."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        (
            p.id,
            p.origin,
            p.text,
            p.author,
            p.posted,
            p.url,
            p.lang,
            p.reply_to,
            p.quote_of,
            None if p.embedding is None else np.asarray(p.embedding, dtype=np.float32).tobytes(),
            p.stance,
            p.stance_score,
            now,
        )
        for p in posts
    ]
    with store.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO posts (id, origin, text, author, posted, url, lang, reply_to, quote_of,"
            " embedding, stance, stance_score, ingested) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        return conn.total_changes - before


def count_posts(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0])


def count_unattached(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM posts WHERE story_id IS NULL").fetchone()[0])


def _article_urls(store: Store) -> dict[str, str]:
    return {
        url_key(url): sid
        for url, sid in store.conn.execute(
            "SELECT url, story_id FROM articles WHERE url IS NOT NULL AND story_id IS NOT NULL ORDER BY seq"
        )
    }


def _link(post: dict[str, Any], urls: dict[str, str]) -> str | None:
    candidates = [post["url"], post["reply_to"], post["quote_of"], *_URL_IN_TEXT.findall(post["text"])]
    for url in candidates:
        if url and (sid := urls.get(url_key(url))):
            return sid
    return None


class _Centroids:
    """Story centroids of article embeddings, and story terms for near-ties."""

    def __init__(self, store: Store) -> None:
        members: dict[str, list[str]] = {}
        for aid, sid in store.conn.execute(
            "SELECT id, story_id FROM articles WHERE story_id IS NOT NULL ORDER BY seq"
        ):
            members.setdefault(sid, []).append(aid)
        vectors = store.embeddings([a for ids in members.values() for a in ids])
        self.ids: list[str] = []
        rows = []
        for sid, ids in members.items():
            vecs = [vectors[a] for a in ids if a in vectors]
            if vecs:
                mean = np.mean(vecs, axis=0)
                rows.append(mean / (np.linalg.norm(mean) or 1.0))
                self.ids.append(sid)
        self.matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
        self._store = store
        self._terms: dict[str, set[str]] = {}

    def terms(self, sid: str) -> set[str]:
        if sid not in self._terms:
            found: set[str] = set()
            for (terms,) in self._store.conn.execute("SELECT terms FROM articles WHERE story_id = ?", (sid,)):
                found.update(json.loads(terms))
            self._terms[sid] = found
        return self._terms[sid]

    def best(self, vec: np.ndarray, text: str) -> tuple[str, float] | None:
        if not self.ids or vec.shape[0] != self.matrix.shape[1]:
            return None
        sims = self.matrix @ vec
        order = np.argsort(-sims, kind="stable")
        top = float(sims[order[0]])
        if top < SIMILARITY_THRESHOLD:
            return None
        close = [i for i in order[:5] if top - float(sims[i]) <= _TIE_MARGIN]
        if len(close) > 1:
            words = set(tokens(text))
            # Stable on equal overlap: the most similar keeps its place.
            close.sort(key=lambda i: -len(words & self.terms(self.ids[i])))
        pick = close[0]
        return self.ids[pick], round(float(sims[pick]), 4)


def _unattached(store: Store) -> list[dict[str, Any]]:
    cur = store.conn.execute(
        "SELECT id, text, url, reply_to, quote_of, embedding FROM posts WHERE story_id IS NULL ORDER BY seq"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur]


def _placed(store: Store) -> dict[str, tuple[str, float]]:
    """Attached posts by id and by url key -> (story, score)."""
    out: dict[str, tuple[str, float]] = {}
    for pid, url, sid, score in store.conn.execute(
        "SELECT id, url, story_id, attach_score FROM posts WHERE story_id IS NOT NULL ORDER BY seq"
    ):
        out[pid] = (sid, score)
        if url:
            out[url_key(url)] = (sid, score)
    return out


def _parent(post: dict[str, Any], placed: dict[str, tuple[str, float]]) -> tuple[str, str, float] | None:
    for column, kind in _CHAIN_KINDS:
        ref = post[column]
        if ref and (hit := placed.get(ref) or placed.get(url_key(ref))):
            return kind, hit[0], hit[1]
    return None


def _has_pending_parent(post: dict[str, Any], pending: set[str]) -> bool:
    return any(post[c] and (post[c] in pending or url_key(post[c]) in pending) for c, _ in _CHAIN_KINDS)


def attach(store: Store) -> dict[str, int]:
    """Attach every unattached post that can be placed; returns counts by ``attached_by``."""
    counts = {"link": 0, "reply": 0, "quote": 0, "similarity": 0}
    posts = _unattached(store)
    if not posts:
        return counts
    done: dict[str, tuple[str, str, float]] = {}  # post id -> (story, kind, score)
    urls = _article_urls(store)
    for post in posts:
        if sid := _link(post, urls):
            done[post["id"]] = (sid, "link", 1.0)
    placed = _placed(store)
    centroids: _Centroids | None = None

    def follow_chains() -> None:
        while True:
            for post in posts:
                if hit := done.get(post["id"]):
                    placed[post["id"]] = (hit[0], hit[2])
                    if post["url"]:
                        placed[url_key(post["url"])] = (hit[0], hit[2])
            found = {}
            for post in posts:
                if post["id"] not in done and (parent := _parent(post, placed)):
                    kind, sid, score = parent
                    found[post["id"]] = (sid, kind, score)
            if not found:
                return
            done.update(found)

    follow_chains()
    pending = {p["id"] for p in posts if p["id"] not in done} | {
        url_key(p["url"]) for p in posts if p["id"] not in done and p["url"]
    }
    for rounds in range(2):
        for post in posts:
            if post["id"] in done or post["embedding"] is None:
                continue
            # First round: roots only, so that replies can follow their parent.
            if rounds == 0 and _has_pending_parent(post, pending):
                continue
            centroids = centroids or _Centroids(store)
            vec = np.frombuffer(post["embedding"], dtype=np.float32)
            if best := centroids.best(vec, post["text"]):
                done[post["id"]] = (best[0], "similarity", best[1])
        follow_chains()
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE posts SET story_id = ?, attached_by = ?, attach_score = ? WHERE id = ?",
            [(sid, kind, score, pid) for pid, (sid, kind, score) in done.items()],
        )
    for _, kind, _ in done.values():
        counts[kind] += 1
    return counts


_COLUMNS = (
    "id",
    "text",
    "author",
    "posted",
    "url",
    "lang",
    "reply_to",
    "quote_of",
    "stance",
    "stance_score",
    "attached_by",
    "attach_score",
)


def placement(store: Store, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """post id -> (story id, ``attached_by``) for the stored ones; both None while unattached."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        for pid, sid, how in store.conn.execute(
            f"SELECT id, story_id, attached_by FROM posts WHERE id IN ({marks})", chunk
        ):
            out[pid] = (sid, how)
    return out


def story_posts(store: Store, story_id: str) -> list[dict[str, Any]]:
    """The posts attached to a story, oldest first (undated last), as plain dicts."""
    cur = store.conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM posts WHERE story_id = ? ORDER BY posted IS NULL, posted, seq",
        (story_id,),
    )
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cur]
