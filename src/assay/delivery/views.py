"""HTML pages of delivery: the candidate's landing, section and confirmation pages, and the
recruiter's candidates page (states, invitations, CSV import, more time, signals)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from assay.assessments import service as assessments_service
from assay.delivery import public, service
from assay.delivery.api import set_browser_cookie
from assay.delivery.content import item_view
from assay.delivery.schemas import CandidateCreate
from assay.delivery.service import CLIENT_SIGNALS, item_ref, section_title
from assay.errors import AppError
from assay.web.deps import CsrfChecked, DbSession, ViewUser, client_ip
from assay.web.templating import render

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(max_length=128)]
FormStr = Annotated[str, Form()]

RECORDED = {
    "focus_loss": "when this window loses focus or you switch tabs",
    "paste": "when you paste text (how many characters, not what)",
    "fullscreen": "when you leave full-screen mode",
}


def _sections(session: Any, access: service.Access) -> list[dict[str, Any]]:
    if access.attempt is None:
        return []
    return list(service.form_of(session, access).sections)


@router.get("/take/{token}")
def landing(token: Token, request: Request, session: DbSession) -> Response:
    access = service.open_link(session, token=token)
    assessment = access.assessment
    recorded = [text for key, text in RECORDED.items() if assessment.integrity.get(key)]
    context = {
        "token": token,
        "assessment": assessment,
        "candidate": access.candidate,
        "started": access.attempt is not None,
        "finished": access.attempt is not None and access.attempt.finished_at is not None,
        "deadline": access.invitation.expires_at,
        "recorded": recorded,
        "extra_percent": round((access.candidate.time_factor - 1) * 100),
    }
    response = render(request, "delivery/landing.html", context)
    set_browser_cookie(request, response)
    return response


@router.get("/take/{token}/work")
def work(token: Token, request: Request, session: DbSession) -> Response:
    access = service.resolve(session, token=token)
    if access.attempt is None:
        return RedirectResponse(f"/take/{token}", status_code=303)
    service.touch(
        session,
        access=access,
        browser_id=request.cookies.get("assay_browser", ""),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    position = service.position(session, access)
    if position.finished:
        return RedirectResponse(f"/take/{token}/done", status_code=303)
    responses = {
        r.item_id: r
        for r in service.responses_of(session, access=access)
        if r.section_index == position.index
    }
    items = []
    for number, item in enumerate(service.delivered_items(position.section)):
        view = item_view(item["item_id"], item.get("option_order"))
        saved = responses.get(item["item_id"])
        items.append(
            {
                "ref": item_ref(position.index, number),
                "view": view,
                "answer": saved.answer if saved else None,
                "sequence": saved.sequence if saved else 0,
                "language": item.get("language"),
            }
        )
    signals = [kind for kind, key in CLIENT_SIGNALS.items() if access.assessment.integrity.get(key)]
    context = {
        "token": token,
        "assessment": access.assessment,
        "position": position,
        "title": section_title(position.section),
        "items": items,
        "signals": signals,
        "last": position.index + 1 >= position.count,
    }
    return render(request, "delivery/work.html", context)


@router.get("/take/{token}/done")
def done(token: Token, request: Request, session: DbSession) -> Response:
    access = service.resolve(session, token=token)
    finished = access.attempt is not None and access.attempt.finished_at is not None
    return render(
        request,
        "delivery/done.html",
        {"token": token, "assessment": access.assessment, "finished": finished},
    )


# --- the recruiter's pages -------------------------------------------------------------------


def _go(path: str, message: str) -> Response:
    return RedirectResponse(f"{path}?{urlencode({'message': message})}", status_code=303)


def _candidates_page(
    request: Request,
    session: DbSession,
    who: tuple[Any, Any],
    assessment_id: uuid.UUID,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    principal, _user = who
    assessment = assessments_service.get_or_raise(
        session, principal=principal, assessment_id=assessment_id
    )
    records = service.list_candidates(session, principal=principal, assessment_id=assessment_id)
    link = public.public_link_of(session, principal=principal, assessment_id=assessment_id)
    context = {
        "assessment": assessment,
        "records": records,
        "public_link": link,
        "public_url": public.join_url(link) if link else "",
        "message": request.query_params.get("message", ""),
        "link": "",
        "error": "",
        "preview": None,
        "csv": "",
        **extra,
    }
    return render(request, "delivery/candidates.html", context, status=status)


@router.get("/assessments/{assessment_id}/candidates")
def candidates_page(
    assessment_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    return _candidates_page(request, session, who, assessment_id)


@router.post("/assessments/{assessment_id}/candidates/invite", dependencies=[CsrfChecked])
def invite_page(
    assessment_id: uuid.UUID,
    request: Request,
    session: DbSession,
    who: ViewUser,
    *,
    name: FormStr = "",
    email: FormStr = "",
    extra_time_percent: FormStr = "0",
) -> Response:
    principal, _user = who
    try:
        data = CandidateCreate(name=name, email=email, extra_time_percent=extra_time_percent or "0")
        _candidate, _invitation, token = service.invite(
            session,
            principal=principal,
            assessment_id=assessment_id,
            name=data.name,
            email=data.email,
            extra_time_percent=data.extra_time_percent,
        )
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return _candidates_page(request, session, who, assessment_id, status=422, error=errors)
    except AppError as exc:
        if exc.status in {401, 403, 404}:
            raise
        return _candidates_page(
            request, session, who, assessment_id, status=exc.status, error=exc.message
        )
    return _candidates_page(
        request,
        session,
        who,
        assessment_id,
        message=f"Invitation sent to {data.email}.",
        link=service.link_for(token),
    )


@router.post("/assessments/{assessment_id}/candidates/import", dependencies=[CsrfChecked])
def import_page(
    assessment_id: uuid.UUID,
    request: Request,
    session: DbSession,
    who: ViewUser,
    *,
    csv: FormStr = "",
    action: FormStr = "preview",
) -> Response:
    """Preview first (nothing is sent); the preview's button sends the valid rows."""
    principal, _user = who
    send = action == "send"
    try:
        rows, created = service.import_candidates(
            session,
            principal=principal,
            assessment_id=assessment_id,
            csv_text=csv,
            commit=send,
        )
    except AppError as exc:
        if exc.status in {401, 403, 404}:
            raise
        return _candidates_page(
            request, session, who, assessment_id, status=exc.status, error=exc.message, csv=csv
        )
    if send:
        skipped = sum(1 for row in rows if row.errors)
        return _go(
            f"/assessments/{assessment_id}/candidates",
            f"{len(created)} invitations sent; {skipped} rows with errors were skipped.",
        )
    return _candidates_page(request, session, who, assessment_id, preview=rows, csv=csv)


def _candidate_page(
    request: Request,
    session: DbSession,
    who: tuple[Any, Any],
    candidate_id: uuid.UUID,
    *,
    status: int = 200,
    error: str = "",
) -> Response:
    principal, _user = who
    record = service.describe(session, principal=principal, candidate_id=candidate_id)
    assessment = assessments_service.get_or_raise(
        session, principal=principal, assessment_id=record.candidate.assessment_id
    )
    context = {
        "record": record,
        "assessment": assessment,
        "message": request.query_params.get("message", ""),
        "error": error,
    }
    return render(request, "delivery/candidate.html", context, status=status)


@router.get("/candidates/{candidate_id}")
def candidate_page(
    candidate_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    """One candidate: their invitation and attempt, and the forms that give more time."""
    return _candidate_page(request, session, who, candidate_id)


@router.post("/candidates/{candidate_id}/extend", dependencies=[CsrfChecked])
def extend_page(
    candidate_id: uuid.UUID,
    request: Request,
    session: DbSession,
    who: ViewUser,
    *,
    expires_at: FormStr = "",
    add_minutes: FormStr = "0",
) -> Response:
    principal, _user = who
    record = service.describe(session, principal=principal, candidate_id=candidate_id)
    try:
        deadline = (
            datetime.fromisoformat(expires_at).replace(tzinfo=UTC) if expires_at.strip() else None
        )
        minutes = int(add_minutes or "0")
        if not 0 <= minutes <= 600:
            raise ValueError("add at most 600 minutes")
    except ValueError as exc:
        return _candidate_page(
            request, session, who, candidate_id, status=422, error=f"Not changed: {exc}."
        )
    try:
        service.extend(
            session,
            principal=principal,
            candidate_id=candidate_id,
            expires_at=deadline,
            add_minutes=minutes,
        )
    except AppError as exc:
        if exc.status in {401, 403, 404}:
            raise
        return _candidate_page(
            request, session, who, candidate_id, status=exc.status, error=exc.message
        )
    return _go(f"/candidates/{candidate_id}", f"Updated {record.candidate.email}.")


@router.get("/candidates/{candidate_id}/signals")
def signals_page(
    candidate_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    record = service.describe(session, principal=principal, candidate_id=candidate_id)
    events = service.signals_of(session, principal=principal, candidate_id=candidate_id)
    return render(
        request,
        "delivery/signals.html",
        {"record": record, "events": events},
    )


@router.post("/assessments/{assessment_id}/public-link", dependencies=[CsrfChecked])
def public_link_switch(
    assessment_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    *,
    enabled: FormStr = "off",
) -> Response:
    principal, _user = who
    on = enabled == "on"
    public.set_public_link(session, principal=principal, assessment_id=assessment_id, enabled=on)
    return _go(
        f"/assessments/{assessment_id}/candidates",
        "The public registration link is on." if on else "The public registration link is off.",
    )


# --- public self-registration ----------------------------------------------------------------

Slug = Annotated[str, Path(max_length=64)]


def _join_page(
    request: Request, slug: str, assessment: Any, *, status: int = 200, **extra: Any
) -> Response:
    context = {
        "slug": slug,
        "assessment": assessment,
        "deadline": assessment.deadline,
        "registered": False,
        "link": "",
        "name": "",
        "email": "",
        "error": "",
        **extra,
    }
    return render(request, "delivery/join.html", context, status=status)


@router.get("/apply/{slug}")
def join(slug: Slug, request: Request, session: DbSession) -> Response:
    _link, assessment = public.open_public(session, slug=slug)
    return _join_page(request, slug, assessment)


@router.post("/apply/{slug}", dependencies=[CsrfChecked])
def join_submit(
    slug: Slug,
    request: Request,
    session: DbSession,
    *,
    name: FormStr = "",
    email: FormStr = "",
) -> Response:
    _link, assessment = public.open_public(session, slug=slug)
    try:
        public.check_rate(ip=client_ip(request))
        data = CandidateCreate(name=name, email=email)
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        return _join_page(
            request, slug, assessment, status=422, error=errors, name=name, email=email
        )
    except AppError as exc:
        return _join_page(
            request, slug, assessment, status=exc.status, error=exc.message, name=name, email=email
        )
    registration = public.register(session, slug=slug, name=data.name, email=data.email)
    return _join_page(
        request,
        slug,
        assessment,
        registered=True,
        email=data.email,
        link=service.link_for(registration.token) if registration.token else "",
    )
