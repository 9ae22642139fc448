"""What routes get from the application: a Storyline to read, the one writer, the tokens.

The contract for every router (the REST API in ``api.py``, the HTML pages in ``pages.py``)::

    from fastapi import APIRouter, Depends
    from storyline import Storyline
    from storyline.web.deps import get_reader

    router = APIRouter()

    @router.get("/stories")
    def stories(sl: Storyline = Depends(get_reader)) -> ...:
        return sl.stories()

- ``get_reader`` (a FastAPI dependency) gives the request a ``Storyline`` facade
  of its own: its own SQLite connection, used by this request alone and
  handed back to a pool when the request ends. Reads never wait for an
  ingest (SQLite WAL). Do not keep the facade beyond the request, and do not
  ingest through it: writes go through ``AppState.writer``.
- ``get_state(request)`` gives the ``AppState`` (the database path, the
  shared semantic ``VectorIndex`` for ``Storyline.search``,
  the metrics).
- ``require_read`` / ``require_write`` check the bearer tokens; the app
  applies ``require_read`` to every router it includes, pages included.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request

from ..facade import Storyline
from ..store.search import VectorIndex
from .errors import ApiError
from .metrics import Metrics

__all__ = ["AppState", "ReaderPool", "Writer", "get_reader", "get_state", "require_read", "require_write"]

log = logging.getLogger("storyline.web")
T = TypeVar("T")

# A reader that would wait for the writer's lock (to cache a brief, to index
# new articles for search) gives up after this long and goes on without.
READER_BUSY_MS = 250
# Write requests waiting for the writer beyond this are refused, not queued.
MAX_QUEUED_WRITES = 8


class ReaderPool:
    """Read-only facades, one per request in flight, reused across requests."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._free: list[Storyline] = []
        self._lock = threading.Lock()

    def acquire(self) -> Storyline:
        with self._lock:
            if self._free:
                return self._free.pop()
        return Storyline.reader(self.db, busy_ms=READER_BUSY_MS)

    def release(self, sl: Storyline) -> None:
        with self._lock:
            self._free.append(sl)

    def close(self) -> None:
        with self._lock:
            free, self._free = self._free, []
        for sl in free:
            sl.close()


class Writer:
    """The only thread that writes to the database: ingests run one after another on it.

    Its facade holds the store's writer claim from the first ingest on (the
    stateful stages live in its memory), so a `storyline ingest` on the same
    file waits for the server to stop.
    """

    def __init__(self, db: str) -> None:
        self.db = db
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-writer")
        self._sl: Storyline | None = None
        self._queued = 0
        self._lock = threading.Lock()

    def _facade(self) -> Storyline:
        if self._sl is None:
            self._sl = Storyline(db=self.db)
        return self._sl

    def _call(self, fn: Callable[[Storyline], T]) -> T:
        try:
            return fn(self._facade())
        finally:
            with self._lock:
                self._queued -= 1

    def submit(self, fn: Callable[[Storyline], T]) -> Future[T]:
        """Queue ``fn(writer facade)``; refuse (503) when too many writes are waiting."""
        with self._lock:
            if self._queued >= MAX_QUEUED_WRITES:
                raise ApiError(
                    503,
                    f"{self._queued} writes are already waiting; retry in a minute or send larger batches",
                    code="busy",
                    headers={"Retry-After": "30"},
                )
            self._queued += 1
        return self._executor.submit(self._call, fn)

    async def run(self, fn: Callable[[Storyline], T]) -> T:
        """``fn(writer facade)`` on the writer thread, awaited without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(fn))

    def index_in_background(self) -> None:
        """Bring the full-text index up to date off the request path (at startup)."""

        def index(sl: Storyline) -> int:
            try:
                return sl.index_for_search()
            except Exception:
                log.exception("building the search index failed; searches will index lazily")
                return 0

        self.submit(index)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._sl is not None:
            self._sl.close()
            self._sl = None


@dataclass
class AppState:
    db: str
    api_token: str | None
    read_token: str | None
    readers: ReaderPool
    writer: Writer
    metrics: Metrics = field(default_factory=Metrics)
    vectors: VectorIndex = field(default_factory=VectorIndex)

    def close(self) -> None:
        self.writer.close()
        self.readers.close()


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.storyline
    return state


def get_reader(request: Request) -> Iterator[Storyline]:
    """A facade on a connection of this request's own (see the module docstring)."""
    pool = get_state(request).readers
    sl = pool.acquire()
    try:
        yield sl
    finally:
        pool.release(sl)


# A browser cannot send a bearer header: /login keeps the token in this cookie instead.
TOKEN_COOKIE = "storyline_token"


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _read_token(request: Request) -> str | None:
    # Reads only: a cookie the browser sends by itself must never authorise a write.
    return _bearer(request) or request.cookies.get(TOKEN_COOKIE) or None


def _matches(given: str, *expected: str | None) -> bool:
    # Constant-time: a token must not be guessable from response times.
    return any(e is not None and hmac.compare_digest(given.encode(), e.encode()) for e in expected)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def require_read(request: Request) -> None:
    """Open unless the server has a read token; then the read or the write token is needed."""
    state = get_state(request)
    if state.read_token is None:
        return
    token = _read_token(request)
    if token is None:
        raise _unauthorized(
            "this server needs a token to read: send the header 'Authorization: Bearer TOKEN'"
            " (in a browser, sign in at /login)"
        )
    if not _matches(token, state.read_token, state.api_token):
        raise _unauthorized("the bearer token is not valid for reading on this server")


def require_write(request: Request) -> None:
    """Refused (403) unless the server has a write token; then it is needed (401 without it)."""
    state = get_state(request)
    if state.api_token is None:
        raise ApiError(
            403,
            "writing is disabled on this server: start it with STORYLINE_API_TOKEN set to accept writes",
            code="writes_disabled",
        )
    token = _bearer(request)
    if token is None:
        raise _unauthorized("writing needs a token: send the header 'Authorization: Bearer TOKEN'")
    if not _matches(token, state.api_token):
        raise _unauthorized("the bearer token is not valid for writing on this server")
