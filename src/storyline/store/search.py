"""Search over stored articles: full text (English, Chinese and other languages) and by meaning.

Full text uses an FTS5 table kept beside ``articles``. FTS5's tokenizer does
not segment Chinese (a run of Han characters would be one token), so Han runs
are folded to Simplified Chinese and segmented with jieba before they are
indexed: ``jieba.cut_for_search`` indexes a long word and its sub-words, so a
query for 出口 finds 出口管制. The table is contentless (the text stays in
``articles`` only) and is kept in sync by ``seq``: ``ensure_index`` indexes
the articles stored since the last call. Articles are never edited after
they are stored, so appending is all the sync there is.

Semantic search compares the query's embedding (the same multilingual model
as the articles) with every stored article embedding, exactly, in numpy; a
``VectorIndex`` keeps the matrix in memory and appends new articles by
``seq``. An English query finds Chinese reports of the same event.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

import numpy as np

from ..text.normalize import fold_aligned, to_simplified

__all__ = [
    "SearchError",
    "SearchFilter",
    "SearchHit",
    "VectorIndex",
    "ensure_index",
    "query_terms",
    "segment",
    "semantic_search",
    "text_search",
    "unindexed",
]

# Bump when segmentation changes: a stored index of another version is rebuilt.
INDEX_VERSION = "2"  # 2: syndicated copies are left out of the index
# Articles segmented per transaction: the write lock is held only to insert.
_CHUNK = 200
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_BEFORE = 60
_SNIPPET_AFTER = 180


class SearchError(Exception):
    """A query that cannot be run; the message says what to change."""


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """What a search keeps besides matching the query: articles in ``lang``, from ``outlet``
    (any case), published on or after ``since`` and on or before ``until`` (an undated
    article passes no date bound)."""

    lang: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """`` AND ...`` clauses on the articles table as ``a``, and their arguments."""
        clauses, args = [], []
        if self.lang:
            clauses.append("a.lang = ?")
            args.append(self.lang)
        if self.outlet:
            clauses.append("lower(a.outlet) = ?")
            args.append(self.outlet.lower())
        if self.since:
            clauses.append("substr(a.published, 1, 10) >= ?")
            args.append(self.since.isoformat())
        if self.until:
            clauses.append("substr(a.published, 1, 10) <= ?")
            args.append(self.until.isoformat())
        return "".join(" AND " + c for c in clauses), args

    def mask(self, langs: np.ndarray, outlets: np.ndarray, days: np.ndarray) -> np.ndarray | None:
        """Which rows pass, given each row's language, lower-cased outlet and day ("" if none);
        None when every row does."""
        keep: np.ndarray | None = None
        for passes in (
            langs == self.lang if self.lang else None,
            outlets == self.outlet.lower() if self.outlet else None,
            (days != "") & (days >= self.since.isoformat()) if self.since else None,
            (days != "") & (days <= self.until.isoformat()) if self.until else None,
        ):
            if passes is not None:
                keep = passes if keep is None else keep & passes
        return keep


@dataclass(slots=True)
class SearchHit:
    """One article found; ``span`` is where ``snippet`` sits in the article's text."""

    article_id: str
    story_id: str | None
    storyline_id: str | None
    title: str
    lang: str
    outlet: str | None
    published: str | None
    url: str | None
    score: float
    snippet: str
    span: list[int]
    # [start, end) offsets of the matched words inside ``snippet``.
    highlights: list[list[int]] = field(default_factory=list)


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> str:
    """Text as indexed: Han runs simplified and split into words (and sub-words), the rest as is."""
    out: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(text):
        out.append(text[pos : m.start()])
        out.append(" " + " ".join(_jieba().cut_for_search(to_simplified(m.group()))) + " ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def query_terms(query: str) -> list[str]:
    """The words of a query as the index holds them: Han runs cut into words, others split on
    word boundaries; each must occur in an article for it to match."""
    terms: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(query):
        terms.extend(_WORD.findall(query[pos : m.start()]))
        terms.extend(w for w in _jieba().cut(to_simplified(m.group())) if w.strip())
        pos = m.end()
    terms.extend(_WORD.findall(query[pos:]))
    seen: dict[str, None] = {}
    for t in terms:
        seen.setdefault(t.lower(), None)
    return list(seen)


def _match_expression(terms: Sequence[str]) -> str:
    # Every term quoted: the user's text is never read as FTS5 query syntax.
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


# --------------------------------------------------------------------------- the full-text index


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS search_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    row = conn.execute("SELECT value FROM search_state WHERE name = 'fts_version'").fetchone()
    if row is not None and row[0] != INDEX_VERSION:
        conn.execute("DROP TABLE IF EXISTS article_fts")
        conn.execute("DELETE FROM search_state")
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5("
        "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute(
        "INSERT OR IGNORE INTO search_state (name, value) VALUES ('fts_version', ?), ('fts_seq', '0')",
        (INDEX_VERSION,),
    )


def _indexed_seq(conn: sqlite3.Connection) -> int | None:
    try:
        state = dict(conn.execute("SELECT name, value FROM search_state").fetchall())
    except sqlite3.OperationalError:  # no such table: never indexed
        return None
    if state.get("fts_version") != INDEX_VERSION or "fts_seq" not in state:
        return None
    return int(state["fts_seq"])


def unindexed(conn: sqlite3.Connection) -> int:
    """Articles stored but not yet in the full-text index (copies included)."""
    done = _indexed_seq(conn) or 0
    return int(conn.execute("SELECT count(*) FROM articles WHERE seq > ?", (done,)).fetchone()[0])


def ensure_index(conn: sqlite3.Connection, limit: int | None = None) -> int:
    """Index the articles stored since the last call (at most ``limit``); return how many.

    Safe to call from several connections at once: each chunk is inserted
    only if no one indexed it meanwhile. Raises ``sqlite3.OperationalError``
    when the database cannot be written (read-only, or locked past the
    connection's busy timeout); what is indexed stays searchable.
    """
    if _indexed_seq(conn) is None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _create(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    done = 0
    while limit is None or done < limit:
        last = _indexed_seq(conn) or 0
        size = _CHUNK if limit is None else min(_CHUNK, limit - done)
        rows = conn.execute(
            "SELECT seq, title, text, dup_of FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, size)
        ).fetchall()
        if not rows:
            break
        # Segment before taking the write lock: jieba is the slow part. Copies are never
        # searched for themselves (their original is), so a search needs no article rows.
        docs = [(seq, segment(title), segment(text)) for seq, title, text, dup in rows if dup is None]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _indexed_seq(conn) == last:
                conn.executemany("INSERT INTO article_fts (rowid, title, body) VALUES (?, ?, ?)", docs)
                conn.execute("UPDATE search_state SET value = ? WHERE name = 'fts_seq'", (str(rows[-1][0]),))
                done += len(rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return done


def text_search(
    conn: sqlite3.Connection,
    query: str,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
    where: SearchFilter | None = None,
) -> tuple[int, list[SearchHit]]:
    """Articles containing every word of ``query`` (syndicated copies left out), best first:
    (how many match, this page of hits). Searches what ``ensure_index`` has indexed.
    ``where`` narrows the search (``lang`` is its shorthand)."""
    terms = query_terms(query)
    if not terms:
        raise SearchError(f"the query {query!r} has no words to search for")
    if _indexed_seq(conn) is None:
        return 0, []
    clauses, args = _where(where, lang).sql()
    args = [_match_expression(terms), *args]
    # Only a filter needs the article rows of every match; otherwise the index answers alone.
    joined = (
        "FROM article_fts"
        + (" JOIN articles a ON a.seq = article_fts.rowid" if clauses else "")
        + " WHERE article_fts MATCH ?"
        + clauses
    )
    total = int(conn.execute("SELECT count(*) " + joined, args).fetchone()[0])
    # Title words weigh more: a headline names the event.
    rows = conn.execute(
        "SELECT a.id, f.score FROM (SELECT article_fts.rowid AS seq, -bm25(article_fts, 3.0, 1.0) AS score "
        + joined
        + " ORDER BY score DESC, article_fts.rowid LIMIT ? OFFSET ?) f"
        " JOIN articles a ON a.seq = f.seq ORDER BY f.score DESC, f.seq",
        [*args, limit, offset],
    ).fetchall()
    return total, _hits(conn, [(aid, float(score)) for aid, score in rows], terms)


# --------------------------------------------------------------------------- semantic search


class VectorIndex:
    """Every stored original article's embedding as one matrix, appended to by ``seq``.

    Thread-safe; ``refresh`` costs one query when nothing is new.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0
        self._ids: list[str] = []
        # Per row, for filters: language, lower-cased outlet, publication day ("" if none).
        self._meta: tuple[list[str], list[str], list[str]] = ([], [], [])
        self._meta_arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self, conn: sqlite3.Connection) -> int:
        """Load the embeddings of articles stored since the last refresh; return how many."""
        with self._lock:
            rows = conn.execute(
                "SELECT seq, id, lang, outlet, published, embedding, dup_of FROM articles"
                " WHERE seq > ? ORDER BY seq",
                (self._seq,),
            ).fetchall()
            if not rows:
                return 0
            self._seq = rows[-1][0]
            new = [r[1:6] for r in rows if r[5] is not None and r[6] is None]
            if not new:
                return 0
            vecs = np.stack([np.frombuffer(emb, dtype=np.float32) for *_, emb in new])
            n = len(self._ids)
            if n + len(new) > self._matrix.shape[0]:
                # Grow by doubling so that many small ingests cost amortised O(1) per article.
                grown = np.zeros((max(2 * (n + len(new)), 1024), vecs.shape[1]), dtype=np.float32)
                if n:
                    grown[:n] = self._matrix[:n]
                self._matrix = grown
            self._matrix[n : n + len(new)] = vecs
            langs, outlets, days = self._meta
            for aid, lang, outlet, published, _ in new:
                self._ids.append(aid)
                langs.append(lang)
                outlets.append((outlet or "").lower())
                days.append((published or "")[:10])
            self._meta_arrays = None
            return len(new)

    def nearest(
        self, vector: np.ndarray, where: SearchFilter | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[tuple[str, float]]]:
        """(articles compared, the page of (article id, cosine similarity) best first)."""
        with self._lock:
            n = len(self._ids)
            if n == 0:
                return 0, []
            scores = self._matrix[:n] @ vector.astype(np.float32)
            rows = np.arange(n)
            if where is not None:
                if self._meta_arrays is None:
                    self._meta_arrays = tuple(np.asarray(m) for m in self._meta)  # type: ignore[assignment]
                assert self._meta_arrays is not None
                keep = where.mask(*self._meta_arrays)
                if keep is not None:
                    rows = rows[keep]
            ids = self._ids
        want = offset + limit
        if want < len(rows):
            # Only the best ``want`` need sorting (ties by position).
            top = rows[np.argpartition(-scores[rows], want - 1)[:want]]
            best = top[np.lexsort((top, -scores[top]))]
        else:
            best = rows[np.argsort(-scores[rows], kind="stable")]
        order = best[offset:want]
        return len(rows), [(ids[i], float(scores[i])) for i in order]


_QUERY_VECTORS: OrderedDict[str, np.ndarray] = OrderedDict()
_QUERY_VECTORS_SIZE = 1024
_ENCODING = threading.Lock()


def _query_vector(query: str) -> np.ndarray:
    # Encoding is most of a semantic search's cost; the next page of results, or the same
    # question from another reader, reuses it. One encoding at a time: readers asking the
    # same new question at once wait for the first rather than all encoding it.
    with _ENCODING:
        vector = _QUERY_VECTORS.get(query)
        if vector is None:
            from ..embed import encode

            vector = encode([query])[0]
            vector.flags.writeable = False
            _QUERY_VECTORS[query] = vector
            if len(_QUERY_VECTORS) > _QUERY_VECTORS_SIZE:
                _QUERY_VECTORS.popitem(last=False)
        else:
            _QUERY_VECTORS.move_to_end(query)
        return vector


def semantic_search(
    conn: sqlite3.Connection,
    query: str,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
    index: VectorIndex | None = None,
    where: SearchFilter | None = None,
) -> tuple[int, list[SearchHit]]:
    """Articles closest in meaning to ``query``, in any language, best first: (articles compared,
    this page of hits). Pass a long-lived ``index`` to keep the matrix between calls;
    ``where`` narrows the search (``lang`` is its shorthand)."""
    if not query.strip():
        raise SearchError("the query is empty; give a few words or a sentence")
    index = index if index is not None else VectorIndex()
    index.refresh(conn)
    total, found = index.nearest(_query_vector(query), _where(where, lang), limit=limit, offset=offset)
    return total, _hits(conn, found, query_terms(query))


def _where(where: SearchFilter | None, lang: str | None) -> SearchFilter:
    where = where or SearchFilter()
    if lang and lang != where.lang:
        if where.lang:
            raise SearchError(f"two languages asked for: {lang!r} and {where.lang!r}")
        where = SearchFilter(lang, where.outlet, where.since, where.until)
    return where


# --------------------------------------------------------------------------- hits


def _hits(
    conn: sqlite3.Connection, found: Sequence[tuple[str, float]], terms: Sequence[str]
) -> list[SearchHit]:
    if not found:
        return []
    ids = [aid for aid, _ in found]
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT a.id, a.story_id, s.storyline_id, a.title, a.lang, a.outlet, a.published, a.url, a.text"
            " FROM articles a LEFT JOIN stories s ON s.id = a.story_id"
            f" WHERE a.id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    hits = []
    for aid, score in found:
        _, sid, line_id, title, lang, outlet, published, url, text = rows[aid]
        start, end, marks = _snippet(text, terms)
        hits.append(
            SearchHit(
                article_id=aid,
                story_id=sid,
                storyline_id=line_id,
                title=title,
                lang=lang,
                outlet=outlet,
                published=published,
                url=url,
                score=round(score, 4),
                snippet=text[start:end],
                span=[start, end],
                highlights=marks,
            )
        )
    return hits


def _snippet(text: str, terms: Sequence[str]) -> tuple[int, int, list[list[int]]]:
    """A window of ``text`` around the first query word found in it (else the lead), and where
    the query words sit inside that window."""
    # Folded one character for one, so offsets found in it are offsets in the text.
    folded = fold_aligned(text)
    patterns = [_term_pattern(t) for t in terms]
    first = min((m.start() for p in patterns if (m := p.search(folded))), default=None)
    if first is None:
        return 0, min(len(text), _SNIPPET_BEFORE + _SNIPPET_AFTER), []
    start = max(0, first - _SNIPPET_BEFORE)
    # Start on a word or line boundary rather than mid-word.
    cut = max(text.rfind(" ", start, first), text.rfind("\n", start, first))
    start = cut + 1 if start > 0 and cut >= 0 else start
    end = min(len(text), first + _SNIPPET_AFTER)
    window = folded[start:end]
    marks = sorted({(m.start(), m.end()) for p in patterns for m in p.finditer(window)})
    return start, end, [list(m) for m in marks]


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    if _HAN_RUN.search(term):
        return re.compile(re.escape(term))
    return re.compile(rf"\b{re.escape(term)}\b")
