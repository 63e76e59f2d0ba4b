"""HTML pages of delivery: the candidate's landing, section and confirmation pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import RedirectResponse, Response

from assay.delivery import service
from assay.delivery.api import set_browser_cookie
from assay.delivery.content import item_view
from assay.delivery.service import CLIENT_SIGNALS, item_ref, section_title
from assay.web.deps import DbSession, client_ip
from assay.web.templating import render

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(max_length=128)]

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
