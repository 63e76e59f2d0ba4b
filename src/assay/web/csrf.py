"""CSRF protection for every state-changing request that a cookie authenticates.

A signed double-submit token: a random cookie, and in each form (or the X-CSRF-Token header
for fetch calls) its HMAC under the server secret. A cross-site page can neither read the
cookie nor forge the HMAC. Requests with a bearer API key carry no ambient authority and skip it.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from assay.config import get_settings
from assay.errors import PermissionDenied
from assay.kit.hashing import constant_time_equal, sign
from assay.kit.ids import new_token

CSRF_COOKIE = "assay_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _cookie_value(request: Request) -> str:
    value = request.cookies.get(CSRF_COOKIE)
    if not value or len(value) > 128:
        value = getattr(request.state, "new_csrf_cookie", None) or new_token()
        request.state.new_csrf_cookie = value
    return value


def csrf_token_for(request: Request) -> str:
    return sign(get_settings().effective_secret_key(), "csrf:" + _cookie_value(request))


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    value = getattr(request.state, "new_csrf_cookie", None)
    if value:
        response.set_cookie(
            CSRF_COOKIE,
            value,
            httponly=True,
            samesite="lax",
            secure=get_settings().secure_cookies,
            max_age=60 * 60 * 24 * 30,
        )


def verify_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    expected = sign(get_settings().effective_secret_key(), "csrf:" + cookie) if cookie else None
    if not submitted or expected is None or not constant_time_equal(submitted, expected):
        raise PermissionDenied(
            "This form has expired or came from another site. Reload the page and try again.",
            code="csrf_failed",
        )
