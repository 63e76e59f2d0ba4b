"""Request-scoped dependencies: the unit of work, who is acting, CSRF and content-type checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from assay.accounts import service as accounts
from assay.accounts.models import User
from assay.accounts.service import Principal
from assay.db.engine import transaction
from assay.errors import NotAuthenticated, UnsupportedMediaType
from assay.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageParams
from assay.web.csrf import CSRF_FIELD, CSRF_HEADER, verify_csrf

SESSION_COOKIE = "assay_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session() -> Iterator[Session]:
    """One request is one transaction: committed when the endpoint returns, rolled back on error."""
    with transaction() as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit never looks like success.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def api_principal(request: Request, session: DbSession) -> Principal:
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise NotAuthenticated(
                "Send the API key as 'Authorization: Bearer <key>'.", code="invalid_authorization"
            )
        return accounts.resolve_api_key(session, key.strip())
    token = request.cookies.get(SESSION_COOKIE)
    resolved = accounts.resolve_session(session, token) if token else None
    if resolved is None:
        raise NotAuthenticated(
            "Authenticate with an API key ('Authorization: Bearer <key>') or log in first."
        )
    if request.method not in SAFE_METHODS:
        verify_csrf(request, request.headers.get(CSRF_HEADER))
    return resolved[0]


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


class LoginRequired(NotAuthenticated):
    """Raised by pages; rendered as a redirect to the log-in page."""


def view_user(request: Request, session: DbSession) -> tuple[Principal, User]:
    token = request.cookies.get(SESSION_COOKIE)
    resolved = accounts.resolve_session(session, token) if token else None
    if resolved is None:
        raise LoginRequired("Please log in.")
    request.state.user = resolved[1]
    request.state.principal = resolved[0]
    return resolved


ViewUser = Annotated[tuple[Principal, User], Depends(view_user)]


async def csrf_form(request: Request) -> None:
    """Every state-changing form posts the CSRF token."""
    form = await request.form()
    value = form.get(CSRF_FIELD)
    verify_csrf(request, value if isinstance(value, str) else None)


CsrfChecked = Depends(csrf_form)


def require_json(request: Request) -> None:
    """A JSON API takes JSON: any other declared content type gets a clear 415."""
    if request.method in SAFE_METHODS or request.method == "DELETE":
        return
    has_body = (
        request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers
    )
    content_type = request.headers.get("content-type", "")
    if has_body and content_type.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaType(
            f"Send the body as application/json (got '{content_type or 'no content type'}')."
        )


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` from the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


Page = Annotated[PageParams, Depends(page_params)]
