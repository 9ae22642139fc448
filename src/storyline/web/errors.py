"""One JSON shape for every error the application answers:

``{"error": {"code": "not_found", "message": "...", "details": ...}}``

``message`` is written for the person reading it and says what to do;
``code`` is stable for programs; ``details`` carries the specifics (which
parameter, which limit) or is null.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "error_body", "install"]

log = logging.getLogger("storyline.web")

# Codes for the statuses Starlette and FastAPI raise on their own.
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """Raised anywhere in a request to answer with ``status`` and the shared error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


# Paths that answer JSON whatever the client accepts: programs call them.
_JSON_PATHS = ("/api/", "/healthz", "/metrics", "/login")


def _wants_html(request: Request) -> bool:
    """A browser on a page route: it gets an error page, programs get the JSON shape."""
    path = request.url.path
    return not path.startswith(_JSON_PATHS) and "text/html" in request.headers.get("accept", "")


def _response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    page = getattr(request.app.state, "error_page", None)
    if page is not None and _wants_html(request):
        response: Response = page(request, status, message)
        if headers:
            response.headers.update(headers)
        return response
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _response(request, exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"no such path: {request.url.path}; the API is described at /api/v1/openapi.json"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    code = _CODES.get(exc.status_code, "error")
    return _response(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "where": ".".join(str(p) for p in e.get("loc", ())),
            "problem": e.get("msg", ""),
            # Echo short inputs only: a request body can be megabytes.
            **({"input": e["input"]} if isinstance(e.get("input"), str | int | float) else {}),
        }
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"where": "request", "problem": "invalid"}
    message = f"{first['where']}: {first['problem']}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problems, see details)"
    return _response(request, 422, "invalid_parameter", message, problems)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _response(
        request,
        500,
        "internal_error",
        "the server failed on this request; the error is logged on the server",
        {"type": type(exc).__name__},
    )


def install(app: FastAPI, page: Callable[[Request, int, str], Response] | None = None) -> None:
    """Answer every error, including unknown routes and crashes, with the shared shape;
    a browser asking for a page gets ``page(request, status, message)`` instead, when given."""
    app.state.error_page = page
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
