"""The web application: the REST API, the HTML pages, ``/healthz`` and ``/metrics``, on one SQLite file.

``create_app(db)`` builds it; ``serve(db, host, port)`` runs it with uvicorn
(what ``storyline serve`` calls). Reads run in FastAPI's thread pool, each
request on a connection of its own; every write goes to one writer process
(see ``writer.py``).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from threadpoolctl import threadpool_limits

from ..facade import Storyline
from . import api, errors, pages
from .api import Reader
from .deps import TOKEN_COOKIE, AppState, ChangeWatch, ReaderPool, get_state, require_read
from .errors import ApiError, error_body
from .metrics import Metrics, MetricsMiddleware, SharedMetrics
from .writer import WriterClient, WriterProcess

__all__ = ["MAX_BODY_BYTES", "create_app", "serve"]

log = logging.getLogger("storyline.web")

MAX_BODY_BYTES = 10_000_000
# Requests a worker process runs at once (the others wait their turn, first come first served).
READ_THREADS = 4


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413, by header or as they stream in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, size: str) -> ApiError:
        return ApiError(
            413,
            f"the request body is {size}, over the limit of {self.max_bytes // 1_000_000} MB; "
            "send fewer articles per request",
            details={"limit_bytes": self.max_bytes},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            exc = self._too_large(f"{int(declared):,} bytes")
            response = JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Raised inside the route's body read: the error handlers answer it.
                    raise self._too_large("larger")
            return message

        await self.app(scope, limited, send)


def _ops_router() -> APIRouter:
    ops = APIRouter(tags=["operations"])

    @ops.get("/healthz", summary="Liveness, database and writer check (no token needed)")
    def healthz(request: Request, sl: Reader) -> dict[str, Any]:
        try:
            articles = sl.article_count()
        except sqlite3.Error as exc:
            raise ApiError(503, f"the database cannot be read: {exc}", code="unavailable") from None
        # Reads go on without the writer process; only writes wait for it to come back.
        try:
            writer: dict[str, Any] = get_state(request).write_client().ping()
        except ApiError as exc:
            return {"status": "degraded", "articles": articles, "writer": {"error": exc.message}}
        return {"status": "ok", "articles": articles, "writer": writer}

    @ops.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        dependencies=[Depends(require_read)],
    )
    def metrics(request: Request, sl: Reader) -> PlainTextResponse:
        state = get_state(request)
        metrics = state.shared_metrics.combined() if state.shared_metrics else state.metrics
        text = metrics.render(sl.stored_counts())
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    return ops


def _version() -> str:
    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0"


def _warm_semantic_search(state: AppState) -> None:
    """Load the embedding model and the article vectors now, not in the first semantic search
    (seconds on a large database, with every request behind it waiting)."""
    try:
        with state.readers.reading() as sl:
            sl.search("warm up", mode="semantic", index=state.vectors, limit=1)
    except Exception:
        log.exception("loading semantic search failed; the first semantic search will try again")


def create_app(
    db: str,
    api_token: str | None = None,
    read_token: str | None = None,
    writer: WriterClient | None = None,
    shared_metrics: str | None = None,
) -> FastAPI:
    """The application over the database ``db`` (created if missing).

    Without ``api_token`` every write answers 403; without ``read_token``
    reads are open. Tokens are compared as bearer tokens. Writes go to
    ``writer``; without one, the application starts a writer process of its
    own when it starts and stops it when it stops. ``shared_metrics`` is the
    folder where the worker processes of one server pool their ``/metrics``.
    """
    # Created and migrated once here, so request connections only open it.
    Storyline(db=db).close()
    metrics = Metrics()
    state = AppState(
        db=str(db),
        api_token=api_token or None,
        read_token=read_token or None,
        readers=ReaderPool(str(db)),
        changes=ChangeWatch(str(db)),
        writer=writer,
        shared_metrics=SharedMetrics(shared_metrics, metrics) if shared_metrics else None,
        metrics=metrics,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A search's matrix product is small; with BLAS's own threads in every worker, the
        # workers' threads outnumber the cores and spin waiting for each other (semantic
        # search at 20,000 articles: 131 requests/s with them, 238 without).
        blas = threadpool_limits(limits=1, user_api="blas")
        # Reads are CPU-bound Python: more threads than this only take turns at the
        # interpreter lock, and the turns make a few requests very late (at 20,000
        # articles, 4 threads instead of 40: semantic search p99 452 -> 214 ms).
        to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
        own = WriterProcess(str(db), prepare=api_token is not None).start() if writer is None else None
        if own is not None:
            state.writer = own.client()
        threading.Thread(target=_warm_semantic_search, args=(state,), daemon=True).start()
        saving = asyncio.create_task(state.shared_metrics.keep_saving()) if state.shared_metrics else None
        try:
            yield
        finally:
            if saving is not None:
                saving.cancel()
            if own is not None:
                own.stop()
            state.close()
            blas.restore_original_limits()

    app = FastAPI(
        title="Storyline",
        version=_version(),
        description="News articles in, tracked stories out: stories, storylines, briefs, entities, "
        "timelines and search over a Storyline database. Errors always have the shape "
        '`{"error": {"code", "message", "details"}}`.',
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.storyline = state
    errors.install(app, page=pages.error_page)
    app.include_router(api.reads)
    app.include_router(api.writes)
    app.include_router(_ops_router())
    app.include_router(_login_router())
    app.include_router(pages.router, dependencies=[Depends(require_read)])
    # Added last = outermost: the metrics also count what the body limit refuses.
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)
    return app


_LOGIN_FORM = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Storyline: sign in</title></head>'
    '<body><form method="post" action="/login"><label>Read token <input type="password" name="token"'
    ' autocomplete="current-password"></label> <button>Sign in</button></form></body></html>'
)


def _login_router() -> APIRouter:
    """A form that keeps the read token in an HttpOnly cookie, for servers with STORYLINE_READ_TOKEN."""
    router = APIRouter(include_in_schema=False)

    @router.get("/login", response_class=HTMLResponse)
    def login_form() -> HTMLResponse:
        return HTMLResponse(_LOGIN_FORM)

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        token = (form.get("token") or [""])[0].strip()
        state = get_state(request)
        if not token or not any(
            t is not None and hmac.compare_digest(token.encode(), t.encode())
            for t in (state.read_token, state.api_token)
        ):
            return HTMLResponse(
                _LOGIN_FORM.replace("<form", "<p>That token is not valid here.</p><form"), 401
            )
        answer = RedirectResponse("/", status_code=303)
        answer.set_cookie(
            TOKEN_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https"
        )
        return answer

    return router


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    api_token: str | None = None,
    read_token: str | None = None,
    workers: int = 1,
) -> None:
    """Run the application with uvicorn until interrupted: ``workers`` processes answer
    requests, and one more process (the writer) runs every ingest."""
    # Created and migrated here, so that a bad path is said plainly before any process starts.
    Storyline(db=db).close()
    writer = WriterProcess(str(db), prepare=api_token is not None).start()
    writes = "enabled (bearer token)" if api_token else "disabled (set STORYLINE_API_TOKEN to enable)"
    reads = "need a bearer token" if read_token else "open"
    print(
        f"serving {db} on http://{host}:{port}/ with {workers} worker(s) - API at /api/v1, "
        f"writes {writes}, reads {reads}"
    )
    try:
        if workers <= 1:
            app = create_app(db, api_token=api_token, read_token=read_token, writer=writer.client())
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
        # Worker processes build their own application from this (they are spawned, not forked).
        os.environ[_WORKER_CONFIG] = json.dumps(
            {
                "db": str(db),
                "api_token": api_token,
                "read_token": read_token,
                "writer": [writer.address, writer.authkey.hex()],
                "metrics": writer.folder("metrics"),
            }
        )
        uvicorn.run(
            f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port, log_level="info"
        )
    finally:
        os.environ.pop(_WORKER_CONFIG, None)
        writer.stop()


_WORKER_CONFIG = "STORYLINE_SERVE_WORKER"


def worker_app() -> FastAPI:
    """The application in one of ``serve``'s worker processes."""
    config = json.loads(os.environ[_WORKER_CONFIG])
    address, key = config["writer"]
    return create_app(
        config["db"],
        api_token=config["api_token"],
        read_token=config["read_token"],
        writer=WriterClient(address, bytes.fromhex(key)),
        shared_metrics=config["metrics"],
    )
