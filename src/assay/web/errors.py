"""Every error rendered in one place: JSON for the API, friendly pages for people."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from assay.errors import AppError, RateLimited
from assay.web.middleware import request_id_var

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or (path.startswith("/take/") and "/api/" in path)  # the candidate client's protocol
        or path in {"/healthz", "/readyz"}
        or (
            "application/json" in request.headers.get("accept", "")
            and "text/html" not in request.headers.get("accept", "")
        )
    )


def error_response(
    request: Request, *, status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    # A message may echo the request's text, and JSON lets a client send a lone surrogate
    # ("\\ud800") that UTF-8 cannot encode: replace it rather than fail with a 500.
    detail = detail.encode("utf-8", "replace").decode("utf-8")
    if _wants_json(request):
        return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)
    from assay.web.templating import render  # noqa: PLC0415 - templates import web modules

    response = render(
        request, "error.html", {"status": status, "code": code, "detail": detail}, status=status
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _describe(errors: list[Any]) -> tuple[str, str]:
    if any(e.get("type") == "json_invalid" for e in errors):
        first = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (first.get("ctx") or {}).get("error", "invalid JSON")
        return "malformed_json", f"The request body is not valid JSON: {reason}."
    parts = []
    for error in errors[:10]:
        location = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "is not a field this endpoint accepts"
        parts.append(f"{location}: {message}")
    return "validation_error", "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        from assay.web.deps import LoginRequired  # noqa: PLC0415

        if isinstance(exc, LoginRequired) and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return error_response(
            request, status=exc.status, code=exc.code, detail=exc.message, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        code, detail = _describe(list(exc.errors()))
        return error_response(
            request, status=400 if code == "malformed_json" else 422, code=code, detail=detail
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        return error_response(
            request,
            status=exc.status_code,
            code=code,
            detail=detail,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return error_response(
            request,
            status=500,
            code="internal_error",
            detail=(
                "Something went wrong on our side. "
                f"It has been logged as request {request_id_var.get()}."
            ),
        )
