"""HTML pages of the accounts domain: sign-up, log-in, team and API keys, on the same services."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode, urlparse

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from assay.accounts import repository, service
from assay.accounts.permissions import Permission, Role
from assay.accounts.schemas import InvitationAccept, InvitationCreate, SignupCreate
from assay.config import get_settings
from assay.errors import AppError, NotFound
from assay.kit.pagination import PageParams
from assay.mail import service as mail
from assay.web import ratelimit
from assay.web.deps import SESSION_COOKIE, CsrfChecked, DbSession, ViewUser, client_ip
from assay.web.templating import render

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]


def _form_errors(exc: ValidationError) -> dict[str, str]:
    return {
        str(e["loc"][0]) if e["loc"] else "form": str(e["msg"]).removeprefix("Value error, ")
        for e in exc.errors()
    }


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so a log-in link cannot bounce people elsewhere."""
    if not target:
        return "/dashboard"
    parsed = urlparse(target)
    # Browsers read a backslash as a slash ("/\evil.example" is "//evil.example"), and drop
    # tabs and newlines, so any of them could turn a path into another site.
    if any(c in target for c in "\\\t\r\n") or target.startswith("//"):
        return "/dashboard"
    if parsed.scheme or parsed.netloc or not target.startswith("/"):
        return "/dashboard"
    return target


def _signed_in(response: Response, token: str) -> Response:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_days * 86400,
    )
    return response


@router.get("/signup")
def signup_page(request: Request) -> Response:
    return render(request, "accounts/signup.html", {"values": {}, "errors": {}})


@router.post("/signup", dependencies=[CsrfChecked])
def signup(
    request: Request,
    session: DbSession,
    *,
    organization_name: FormStr = "",
    name: FormStr = "",
    email: FormStr = "",
    password: FormStr = "",
) -> Response:
    values = {"organization_name": organization_name, "name": name, "email": email}
    try:
        body = SignupCreate(
            organization_name=organization_name, name=name, email=email, password=password
        )
        _org, user = service.signup(
            session,
            organization_name=body.organization_name,
            name=body.name,
            email=body.email,
            password=body.password,
        )
    except ValidationError as exc:
        return render(
            request,
            "accounts/signup.html",
            {"values": values, "errors": _form_errors(exc)},
            status=422,
        )
    except AppError as exc:
        return render(
            request,
            "accounts/signup.html",
            {"values": values, "errors": {"email": exc.message}},
            status=exc.status,
        )
    _row, token = service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    return _signed_in(RedirectResponse("/dashboard", status_code=303), token)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(
        request, "accounts/login.html", {"next": _safe_next(next), "email": "", "error": None}
    )


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: DbSession,
    email: FormStr = "",
    password: FormStr = "",
    next: FormStr = "/dashboard",
) -> Response:
    context = {"next": _safe_next(next), "email": email}
    try:
        ratelimit.check_login(email=email, ip=client_ip(request))
        user = service.authenticate(session, email=email, password=password)
    except AppError as exc:
        response = render(
            request, "accounts/login.html", {**context, "error": exc.message}, status=exc.status
        )
        if exc.status == 429:
            response.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return response
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        service.end_session(session, old)
    _row, token = service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    return _signed_in(RedirectResponse(_safe_next(next), status_code=303), token)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/settings/team")
def team_page(
    request: Request, session: DbSession, who: ViewUser, message: str | None = None
) -> Response:
    principal, _user = who
    principal.require(Permission.VIEW_TEAM)
    members = repository.list_users(
        session, organization_id=principal.organization_id, page=PageParams(limit=200)
    )
    invitations = (
        repository.list_invitations(
            session, organization_id=principal.organization_id, page=PageParams(limit=200)
        )
        if principal.can(Permission.MANAGE_TEAM)
        else []
    )
    return render(
        request,
        "accounts/team.html",
        {
            "members": members[:200],
            "invitations": [
                i for i in invitations[:200] if i.accepted_at is None and i.revoked_at is None
            ],
            "roles": list(Role),
            "can_manage": principal.can(Permission.MANAGE_TEAM),
            "message": message,
            "errors": {},
        },
    )


@router.post("/settings/team/invite", dependencies=[CsrfChecked])
def invite(
    request: Request, session: DbSession, who: ViewUser, email: FormStr = "", role: FormStr = ""
) -> Response:
    principal, _user = who
    try:
        body = InvitationCreate(email=email, role=role)
        service.invite_teammate(session, principal=principal, email=body.email, role=body.role)
    except ValidationError as exc:
        return _back(_first(exc))
    except AppError as exc:
        return _back(exc.message)
    return _back(f"Invitation sent to {body.email}.")


def _back(message: str) -> Response:
    return RedirectResponse("/settings/team?" + urlencode({"message": message}), status_code=303)


def _first(exc: ValidationError) -> str:
    return next(iter(_form_errors(exc).items()), ("form", "invalid"))[1]


@router.post("/settings/team/{member_id}/role", dependencies=[CsrfChecked])
def change_role(
    request: Request, member_id: uuid.UUID, session: DbSession, who: ViewUser, role: FormStr = ""
) -> Response:
    principal, _user = who
    try:
        service.change_role(session, principal=principal, user_id=member_id, role=Role(role))
    except ValueError:
        return _back("Unknown role.")
    except NotFound:
        raise  # another organization's member: a 404, like every id page, not a flash message
    except AppError as exc:
        return _back(exc.message)
    return _back("Role changed.")


@router.post("/settings/team/{member_id}/remove", dependencies=[CsrfChecked])
def remove(request: Request, member_id: uuid.UUID, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    try:
        service.remove_member(session, principal=principal, user_id=member_id)
    except NotFound:
        raise  # another organization's member: a 404, like every id page
    except AppError as exc:
        return _back(exc.message)
    return _back("Member removed.")


@router.get("/settings/api-keys")
def api_keys_page(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    principal.require(Permission.MANAGE_API_KEYS)
    keys = repository.list_api_keys(
        session, organization_id=principal.organization_id, page=PageParams(limit=200)
    )
    return render(
        request,
        "accounts/api_keys.html",
        {"keys": keys[:200], "new_key": None, "roles": [r for r in Role if r is not Role.OWNER]},
    )


@router.post("/settings/api-keys", dependencies=[CsrfChecked])
def create_api_key(
    request: Request,
    session: DbSession,
    who: ViewUser,
    name: FormStr = "",
    role: FormStr = "recruiter",
) -> Response:
    principal, _user = who
    try:
        _key, secret = service.create_api_key(
            session, principal=principal, name=name.strip()[:100] or "API key", role=Role(role)
        )
    except ValueError:
        secret = None
    keys = repository.list_api_keys(
        session, organization_id=principal.organization_id, page=PageParams(limit=200)
    )
    # The secret is shown on this response only; the page is never cached.
    response = render(
        request,
        "accounts/api_keys.html",
        {"keys": keys[:200], "new_key": secret, "roles": [r for r in Role if r is not Role.OWNER]},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/settings/api-keys/{key_id}/revoke", dependencies=[CsrfChecked])
def revoke_api_key(
    request: Request, key_id: uuid.UUID, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    service.revoke_api_key(session, principal=principal, key_id=key_id)
    return RedirectResponse("/settings/api-keys", status_code=303)


@router.get("/settings/outbox")
def outbox_page(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    principal.require(Permission.MANAGE_CANDIDATES)
    categories = ["candidate", "team"] if principal.can(Permission.MANAGE_TEAM) else ["candidate"]
    messages = mail.list_outbox(
        session,
        organization_id=principal.organization_id,
        categories=categories,
        page=PageParams(limit=100),
    )
    return render(request, "accounts/outbox.html", {"messages": messages[:100]})


@router.get("/join/{token}")
def join_page(request: Request, token: str, session: DbSession) -> Response:
    invitation = service.find_open_invitation(session, token)
    return render(
        request,
        "accounts/join.html",
        {"invitation": invitation, "token": token, "errors": {}, "name": ""},
    )


@router.post("/join/{token}", dependencies=[CsrfChecked])
def join(
    request: Request, token: str, session: DbSession, name: FormStr = "", password: FormStr = ""
) -> Response:
    invitation = service.find_open_invitation(session, token)
    try:
        body = InvitationAccept(name=name, password=password)
    except ValidationError as exc:
        return render(
            request,
            "accounts/join.html",
            {"invitation": invitation, "token": token, "errors": _form_errors(exc), "name": name},
            status=422,
        )
    user = service.accept_invitation(session, token=token, name=body.name, password=body.password)
    _row, session_token = service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    return _signed_in(RedirectResponse("/dashboard", status_code=303), session_token)
