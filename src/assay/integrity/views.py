"""HTML pages of integrity: a candidate's signals panel and one similarity pair side by side."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from assay.accounts.permissions import Permission
from assay.integrity import service
from assay.web.deps import DbSession, ViewUser
from assay.web.templating import render

router = APIRouter(include_in_schema=False)

# The panel's sections, in the order a reviewer reads them; every kind the service emits.
PANEL_SECTIONS: tuple[tuple[str, str], ...] = (
    ("similarity", "Code similarity"),
    ("test_framework_reference", "References to the test framework"),
    ("answer_copying", "Answer copying"),
    ("rushed_answer", "Answers faster than reading"),
    ("paste", "Pastes"),
    ("focus_loss", "Focus losses"),
    ("fullscreen_exit", "Full-screen exits"),
    ("ip_change", "IP changes"),
    ("second_browser", "Second browser"),
    ("browser_change", "Browser changes"),
)


def panel_context(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> dict[str, Any]:
    """What `integrity/_panel.html` needs; merge it into a page's context and include it."""
    signals = service.integrity_signals(
        session, organization_id=organization_id, attempt_id=attempt_id
    )
    known = {kind for kind, _title in PANEL_SECTIONS}
    sections = [(title, [s for s in signals if s.kind == kind]) for kind, title in PANEL_SECTIONS]
    other = [s for s in signals if s.kind not in known]
    if other:
        sections.append(("Other signals", other))
    return {
        "integrity_signals": signals,
        "integrity_sections": [(title, found) for title, found in sections if found],
    }


@router.get("/attempts/{attempt_id}/integrity")
def attempt_integrity_page(
    attempt_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    principal.require(Permission.VIEW_RESULTS)
    context = panel_context(
        session, organization_id=principal.organization_id, attempt_id=attempt_id
    )
    return render(request, "integrity/attempt.html", context | {"attempt_id": attempt_id})


@router.get("/integrity/pairs/{pair_id}")
def pair_page(pair_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    view = service.pair_view(session, principal=principal, pair_id=pair_id)
    return render(request, "integrity/pair.html", {"view": view, "pair": view.pair})
