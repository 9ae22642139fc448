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
  ingest through it: writes go to the writer process through ``AppState.writer``
  (see ``writer.py``).
- ``get_state(request)`` gives the ``AppState`` (the database path, the
  shared semantic ``VectorIndex`` for ``Storyline.search``,
  the metrics).
- ``require_read`` / ``require_write`` check the bearer tokens; the app
  applies ``require_read`` to every router it includes, pages included.
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request

from ..facade import Storyline
from ..store.search import VectorIndex
from .errors import ApiError
from .metrics import Metrics, SharedMetrics
from .writer import WriterClient

__all__ = [
    "AppState",
    "ChangeWatch",
    "ReaderPool",
    "get_reader",
    "get_state",
    "require_read",
    "require_write",
]

log = logging.getLogger("storyline.web")

# A reader that would wait for the writer's lock (to cache a brief, to index
# new articles for search) gives up after this long and goes on without.
READER_BUSY_MS = 250


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

    @contextmanager
    def reading(self) -> Iterator[Storyline]:
        sl = self.acquire()
        try:
            yield sl
        finally:
            self.release(sl)

    def release(self, sl: Storyline) -> None:
        with self._lock:
            self._free.append(sl)

    def close(self) -> None:
        with self._lock:
            free, self._free = self._free, []
        for sl in free:
            sl.close()


class ChangeWatch:
    """Tells, in microseconds, whether any connection has committed to the database since a
    given moment: what lets a page cached in memory be served without reading the store."""

    def __init__(self, db: str) -> None:
        self._conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def version(self) -> int:
        # SQLite's data_version changes whenever another connection commits to the file.
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@dataclass
class AppState:
    db: str
    api_token: str | None
    read_token: str | None
    readers: ReaderPool
    changes: ChangeWatch
    # Set when the application starts (see ``create_app``).
    writer: WriterClient | None = None
    # With several worker processes: where they pool their metrics.
    shared_metrics: SharedMetrics | None = None
    metrics: Metrics = field(default_factory=Metrics)
    vectors: VectorIndex = field(default_factory=VectorIndex)

    def write_client(self) -> WriterClient:
        if self.writer is None:
            raise ApiError(503, "the server is still starting; retry in a moment", code="unavailable")
        return self.writer

    def close(self) -> None:
        self.readers.close()
        self.changes.close()


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.storyline
    return state


async def state_of(request: Request) -> AppState:
    """``get_state`` as a dependency (a coroutine, so FastAPI calls it without a thread hand-off)."""
    return get_state(request)


async def get_reader(request: Request) -> AsyncIterator[Storyline]:
    """A facade on a connection of this request's own (see the module docstring).

    A coroutine, like the token checks: FastAPI runs a plain function dependency on a
    worker thread, and those hand-offs cost more than the work they would do here."""
    with get_state(request).readers.reading() as sl:
        yield sl


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


async def require_read(request: Request) -> None:
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


async def require_write(request: Request) -> None:
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
