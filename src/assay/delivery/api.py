"""JSON endpoints: the recruiter's (/api/v1, API key or session) and the candidate's own.

The candidate's endpoints live under /take/{token}/api: the token in the path is the
credential, so they take no staff session and no CSRF token (a cross-site page cannot know
the token). They are the private protocol of Assay's candidate page, not the public API.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, status
from starlette.responses import JSONResponse, Response

from assay.config import get_settings
from assay.delivery import service
from assay.delivery.schemas import (
    AnswerSave,
    CandidateCreate,
    CandidateExtend,
    CandidateImport,
    CandidateInvited,
    CandidateOut,
    ImportOut,
    ImportRowOut,
    PositionOut,
    SampleRun,
    SaveOut,
    SignalIn,
    SignalOut,
    SignalRecorded,
)
from assay.delivery.service import Access, CandidateRecord, Position
from assay.kit.ids import new_token
from assay.web.deps import ApiPrincipal, DbSession, client_ip, require_json

router = APIRouter(tags=["candidates"])
# The candidate page's own client: not part of the versioned organization API (docs/api.md).
candidate_router = APIRouter(
    prefix="/take/{token}/api",
    tags=["candidate client"],
    dependencies=[Depends(require_json)],
    include_in_schema=False,
)

BROWSER_COOKIE = "assay_browser"


def candidate_out(record: CandidateRecord) -> CandidateOut:
    candidate, invitation, attempt = record.candidate, record.invitation, record.attempt
    return CandidateOut(
        id=candidate.id,
        assessment_id=candidate.assessment_id,
        name=candidate.name,
        email=candidate.email,
        extra_time_percent=round((candidate.time_factor - 1) * 100),
        state=record.state.value,
        invited_at=candidate.created_at,
        expires_at=invitation.expires_at,
        opened_at=invitation.opened_at,
        started_at=attempt.started_at if attempt else None,
        finished_at=attempt.finished_at if attempt else None,
        second_browser=attempt.second_browser if attempt else False,
        signals=record.signals,
    )


@router.get("/assessments/{assessment_id}/candidates", response_model=list[CandidateOut])
def list_candidates(
    assessment_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> list[CandidateOut]:
    """Everyone invited to the assessment, newest first, with their state."""
    records = service.list_candidates(session, principal=principal, assessment_id=assessment_id)
    return [candidate_out(record) for record in records]


@router.post(
    "/assessments/{assessment_id}/candidates",
    status_code=status.HTTP_201_CREATED,
    response_model=CandidateInvited,
)
def invite_candidate(
    assessment_id: uuid.UUID, body: CandidateCreate, principal: ApiPrincipal, session: DbSession
) -> CandidateInvited:
    """Invite one candidate; the personal link is mailed (or kept in the outbox)."""
    candidate, _invitation, token = service.invite(
        session,
        principal=principal,
        assessment_id=assessment_id,
        name=body.name,
        email=body.email,
        extra_time_percent=body.extra_time_percent,
    )
    record = service.describe(session, principal=principal, candidate_id=candidate.id)
    return CandidateInvited(**candidate_out(record).model_dump(), link=service.link_for(token))


@router.post("/assessments/{assessment_id}/candidates/import", response_model=ImportOut)
def import_candidates(
    assessment_id: uuid.UUID, body: CandidateImport, principal: ApiPrincipal, session: DbSession
) -> ImportOut:
    """Preview (dry_run) or invite many from CSV; rows with errors are listed and skipped."""
    rows, created = service.import_candidates(
        session,
        principal=principal,
        assessment_id=assessment_id,
        csv_text=body.csv,
        commit=not body.dry_run,
    )
    return ImportOut(
        dry_run=body.dry_run,
        rows=[ImportRowOut(**vars(row)) for row in rows],
        valid=sum(1 for row in rows if not row.errors),
        invalid=sum(1 for row in rows if row.errors),
        invited=len(created),
    )


@router.get("/candidates/{candidate_id}", response_model=CandidateOut)
def get_candidate(
    candidate_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> CandidateOut:
    return candidate_out(service.describe(session, principal=principal, candidate_id=candidate_id))


@router.post("/candidates/{candidate_id}/extend", response_model=CandidateOut)
def extend_candidate(
    candidate_id: uuid.UUID, body: CandidateExtend, principal: ApiPrincipal, session: DbSession
) -> CandidateOut:
    """Move the link's deadline and/or add minutes to the candidate's current section."""
    record = service.extend(
        session,
        principal=principal,
        candidate_id=candidate_id,
        expires_at=body.expires_at,
        add_minutes=body.add_minutes,
    )
    return candidate_out(record)


@router.get("/candidates/{candidate_id}/signals", response_model=list[SignalOut])
def candidate_signals(
    candidate_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> list[SignalOut]:
    """Integrity signals with timestamps. Signals to look at, never verdicts."""
    events = service.signals_of(session, principal=principal, candidate_id=candidate_id)
    return [SignalOut.model_validate(event) for event in events]


# --- the candidate's client ----------------------------------------------------------------

Token = Annotated[str, Path(max_length=128)]


def browser_id(request: Request) -> str:
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if 0 < len(value) <= 64 else ""


def set_browser_cookie(request: Request, response: Response) -> str:
    """Each browser gets its own id, so the same link opened elsewhere is seen (and flagged)."""
    value = browser_id(request)
    if not value:
        value = new_token(24)
        response.set_cookie(
            BROWSER_COOKIE,
            value,
            httponly=True,
            samesite="lax",
            secure=get_settings().secure_cookies,
            max_age=90 * 86400,
        )
    return value


def candidate_access(token: Token, request: Request, session: DbSession) -> Access:
    access = service.resolve(session, token=token)
    service.touch(
        session,
        access=access,
        browser_id=browser_id(request),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return access


CandidateAccess = Annotated[Access, Depends(candidate_access)]


def position_out(position: Position) -> PositionOut:
    return PositionOut(
        section_index=position.index,
        section_count=position.count,
        remaining_seconds=position.remaining,
        finished=position.finished,
    )


@candidate_router.post("/start", response_model=PositionOut)
def start(token: Token, request: Request, response: Response, session: DbSession) -> PositionOut:
    """Start (after consent) or resume the attempt."""
    access = service.start(
        session,
        token=token,
        browser_id=set_browser_cookie(request, response),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return position_out(service.position(session, access))


@candidate_router.get("/position", response_model=PositionOut)
def get_position(access: CandidateAccess, session: DbSession) -> PositionOut:
    """The current section and the server's remaining seconds."""
    return position_out(service.position(session, access))


@candidate_router.post("/answers", response_model=SaveOut)
def save_answer(body: AnswerSave, access: CandidateAccess, session: DbSession) -> SaveOut:
    """Autosave one answer. Replays (same key) and older sequence numbers change nothing."""
    result = service.save(
        session,
        access=access,
        item_id=body.item_id,
        answer=body.answer,
        sequence=body.sequence,
        idempotency_key=body.key,
    )
    return SaveOut(
        applied=result.applied,
        replayed=result.replayed,
        sequence=result.sequence,
        remaining_seconds=result.remaining,
        section_index=result.section_index,
    )


@candidate_router.post("/sections/next", response_model=PositionOut)
def next_section(access: CandidateAccess, session: DbSession) -> PositionOut:
    return position_out(service.next_section(session, access=access))


@candidate_router.post("/finish", response_model=PositionOut)
def finish(access: CandidateAccess, session: DbSession) -> PositionOut:
    return position_out(service.finish(session, access=access))


@candidate_router.post("/signals", response_model=SignalRecorded)
def record_signal(
    body: SignalIn, request: Request, access: CandidateAccess, session: DbSession
) -> SignalRecorded:
    recorded = service.record_signal(
        session,
        access=access,
        kind=body.kind,
        detail=dict(body.detail),
        client_at=body.client_at,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return SignalRecorded(recorded=recorded)


@candidate_router.post("/items/{item_id}/run")
def run_samples(
    item_id: Annotated[str, Path(max_length=120)],
    body: SampleRun,
    access: CandidateAccess,
    session: DbSession,
) -> dict[str, Any]:
    """Run the task's visible tests on the candidate's code, in the sandbox, now.

    The request's transaction is committed before the sandbox starts (its checks and any
    signals recorded on the way in are kept), so no lock is held while the tests run.
    """
    sample = service.prepare_sample_run(
        session, access=access, item_id=item_id, language=body.language, files=body.files
    )
    session.commit()
    return service.run_samples(sample)


@candidate_router.get("/export")
def export(access: CandidateAccess, session: DbSession) -> JSONResponse:
    """Everything stored about you for this assessment, as a JSON download."""
    return JSONResponse(
        service.export(session, access=access),
        headers={"Content-Disposition": 'attachment; filename="assay-my-data.json"'},
    )


@candidate_router.delete("/data", status_code=status.HTTP_204_NO_CONTENT)
def delete_data(access: CandidateAccess, session: DbSession) -> None:
    """Delete your personal data and answers; only anonymous aggregates remain."""
    service.delete_data(session, access=access)
