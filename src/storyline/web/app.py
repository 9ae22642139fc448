"""The web application: the REST API, the HTML pages, ``/healthz`` and ``/metrics``, on one SQLite file.

``create_app(db)`` builds it; ``serve(db, host, port)`` runs it with uvicorn
(what ``storyline serve`` calls). Reads run in FastAPI's thread pool, each
request on a connection of its own; every write goes through one writer
thread (see ``deps.py``).
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..facade import Storyline
from . import api, errors
from .api import Reader
from .deps import TOKEN_COOKIE, AppState, ReaderPool, Writer, get_state, require_read
from .errors import ApiError, error_body
from .metrics import MetricsMiddleware

__all__ = ["MAX_BODY_BYTES", "create_app", "serve"]

log = logging.getLogger("storyline.web")

MAX_BODY_BYTES = 10_000_000


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

    @ops.get("/healthz", summary="Liveness and database check (no token needed)")
    def healthz(sl: Reader) -> dict[str, Any]:
        try:
            articles = sl.article_count()
        except sqlite3.Error as exc:
            raise ApiError(503, f"the database cannot be read: {exc}", code="unavailable") from None
        return {"status": "ok", "articles": articles}

    @ops.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        dependencies=[Depends(require_read)],
    )
    def metrics(request: Request, sl: Reader) -> PlainTextResponse:
        text = get_state(request).metrics.render(sl.stored_counts())
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    return ops


def _pages_router() -> APIRouter | None:
    """The HTML pages, when their module is there."""
    try:
        from .pages import router
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.pages":
            raise
        return None
    return router


def _version() -> str:
    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0"


def create_app(db: str, api_token: str | None = None, read_token: str | None = None) -> FastAPI:
    """The application over the database ``db`` (created if missing).

    Without ``api_token`` every write answers 403; without ``read_token``
    reads are open. Tokens are compared as bearer tokens.
    """
    # Created and migrated once here, so request connections only open it.
    Storyline(db=db).close()
    state = AppState(
        db=str(db),
        api_token=api_token or None,
        read_token=read_token or None,
        readers=ReaderPool(str(db)),
        writer=Writer(str(db)),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.writer.index_in_background()
        yield
        state.close()

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
    errors.install(app)
    app.include_router(api.reads)
    app.include_router(api.writes)
    app.include_router(_ops_router())
    app.include_router(_login_router())
    pages = _pages_router()
    if pages is not None:
        app.include_router(pages, dependencies=[Depends(require_read)])
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
) -> None:
    """Run the application with uvicorn until interrupted."""
    app = create_app(db, api_token=api_token, read_token=read_token)
    writes = "enabled (bearer token)" if api_token else "disabled (set STORYLINE_API_TOKEN to enable)"
    reads = "need a bearer token" if read_token else "open"
    print(f"serving {db} on http://{host}:{port}/ - API at /api/v1, writes {writes}, reads {reads}")
    uvicorn.run(app, host=host, port=port, log_level="info")
