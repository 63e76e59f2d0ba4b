"""Business rules of delivery: invitations, attempts, autosave, time limits, signals, privacy.

Functions take the session and keyword-only arguments and never commit. Every time check
uses assay.kit.clock.utcnow(): the browser's clock is only ever recorded, never trusted.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.assessments import service as assessments_service
from assay.assessments.blueprint import SECTION_TITLES, SectionKind
from assay.assessments.models import Assessment, AssessmentStatus, Form
from assay.config import get_settings
from assay.delivery import repository
from assay.delivery.clock import is_late, remaining_seconds, section_limit
from assay.delivery.models import (
    Attempt,
    Candidate,
    IntegrityEvent,
    Invitation,
    Response,
    SaveReceipt,
)
from assay.delivery.schemas import CandidateCreate
from assay.errors import (
    AppError,
    Conflict,
    Gone,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
)
from assay.grading import repository as grading_repository
from assay.kit.clock import utcnow
from assay.kit.hashing import token_digest
from assay.kit.ids import new_token
from assay.mail import service as mail

MAX_ANSWER_BYTES = 200 * 1024  # one answer, serialised as JSON (docs: ADR 0013)
MAX_CSV_ROWS = 500
DEFAULT_DAYS = 14  # an assessment without a deadline: links expire after this many days
REMINDER_BEFORE = timedelta(hours=24)
# Signals the browser may report, and the assessment setting that enables each.
CLIENT_SIGNALS = {"focus_loss": "focus_loss", "paste": "paste", "fullscreen_exit": "fullscreen"}
WORK_SAMPLES = ("coding", "sql")


class CandidateState(StrEnum):
    INVITED = "invited"
    OPENED = "opened"
    STARTED = "started"
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    DELETED = "deleted"


def state_of(
    candidate: Candidate, invitation: Invitation, attempt: Attempt | None, *, now: datetime
) -> CandidateState:
    if candidate.deleted_at is not None:
        return CandidateState.DELETED
    if attempt is not None and attempt.finished_at is not None:
        return CandidateState.SUBMITTED
    if attempt is not None:
        # A section whose time ran out is closed on the next request or by the sweep.
        return CandidateState.STARTED
    if invitation.expires_at <= now or invitation.revoked_at is not None:
        return CandidateState.EXPIRED
    return CandidateState.OPENED if invitation.opened_at else CandidateState.INVITED


# --- inviting ------------------------------------------------------------------------------


def link_for(token: str) -> str:
    return f"{get_settings().base_url}/take/{token}"


def _expiry(assessment: Assessment) -> datetime:
    return assessment.deadline or (utcnow() + timedelta(days=DEFAULT_DAYS))


def invite(
    session: Session,
    *,
    principal: Principal,
    assessment_id: uuid.UUID,
    name: str,
    email: str,
    extra_time_percent: int = 0,
) -> tuple[Candidate, Invitation, str]:
    """Invite one person; the link goes out by mail (SMTP) or to the outbox."""
    principal.require(Permission.MANAGE_CANDIDATES)
    assessment = assessments_service.get_or_raise(
        session, principal=principal, assessment_id=assessment_id
    )
    if assessment.status is AssessmentStatus.CLOSED:
        raise Conflict("This assessment is closed; reopen it to invite.", code="assessment_closed")
    if assessment.deadline is not None and assessment.deadline <= utcnow():
        raise Conflict(
            "The assessment's deadline has passed; move it to invite more candidates.",
            code="deadline_passed",
        )
    if repository.find_candidate_by_email(
        session, organization_id=principal.organization_id, assessment_id=assessment.id, email=email
    ):
        raise Conflict(f"{email} is already invited to this assessment.", code="already_invited")
    return create_invitation(
        session,
        assessment=assessment,
        name=name,
        email=email,
        extra_time_percent=extra_time_percent,
    )


def create_invitation(
    session: Session, *, assessment: Assessment, name: str, email: str, extra_time_percent: int = 0
) -> tuple[Candidate, Invitation, str]:
    """The candidate, their invitation and link (mailed); callers check who may invite.

    Raises Conflict ``already_invited`` when the address is invited already, also when another
    request invited it since the caller looked (the database's unique constraint decides).
    """
    candidate = Candidate(
        organization_id=assessment.organization_id,
        assessment_id=assessment.id,
        name=name,
        email=email,
        time_factor=1 + extra_time_percent / 100,
    )
    try:
        with session.begin_nested():
            session.add(candidate)
            session.flush()
    except IntegrityError as error:
        raise Conflict(
            f"{email} is already invited to this assessment.", code="already_invited"
        ) from error
    token = new_token()
    invitation = Invitation(
        organization_id=assessment.organization_id,
        candidate_id=candidate.id,
        token_digest=token_digest(token),
        expires_at=_expiry(assessment),
    )
    session.add(invitation)
    session.flush()
    mail_invitation(
        session,
        assessment=assessment,
        candidate=candidate,
        invitation=invitation,
        token=token,
        reminder=False,
    )
    return candidate, invitation, token


def mail_invitation(
    session: Session,
    *,
    assessment: Assessment,
    candidate: Candidate,
    invitation: Invitation,
    token: str | None,
    reminder: bool,
) -> None:
    deadline = invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    link = link_for(token) if token else "the link in the invitation we sent you"
    opening = (
        f"A reminder: your assessment '{assessment.title}' closes on {deadline}."
        if reminder
        else f"You are invited to take the assessment '{assessment.title}'."
    )
    mail.send(
        session,
        organization_id=candidate.organization_id,
        category="candidate",
        to=candidate.email or "",
        subject=("Reminder: " if reminder else "") + f"Your assessment: {assessment.title}",
        body=(
            f"Hello {candidate.name},\n\n{opening}\n\n"
            f"Start or resume it here (the link is personal, do not share it):\n{link}\n\n"
            f"The link expires on {deadline}. The first page explains what is recorded and how "
            "to download or delete your data."
        ),
    )


@dataclass
class CsvRow:
    line: int
    name: str
    email: str
    extra_time_percent: int
    errors: list[str] = field(default_factory=list)


def parse_candidate_csv(text: str) -> list[CsvRow]:
    """Rows of ``name,email[,extra_time_percent]`` (a header row is optional), each checked."""
    rows: list[CsvRow] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    seen: set[str] = set()
    for number, record in enumerate(reader, start=1):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if number == 1 and cells and cells[0].lower() == "name":
            continue
        row = CsvRow(line=number, name=cells[0] if cells else "", email="", extra_time_percent=0)
        raw_email = cells[1] if len(cells) > 1 else ""
        raw_extra = cells[2] if len(cells) > 2 and cells[2] else "0"
        if len(cells) > 3:
            row.errors.append("too many columns; expected name, email, extra time percent")
        try:
            parsed = CandidateCreate(name=row.name, email=raw_email, extra_time_percent=raw_extra)
        except ValidationError as exc:
            row.email = raw_email
            row.errors.extend(
                f"{'.'.join(str(p) for p in e['loc']) or 'row'}: "
                + str(e["msg"]).removeprefix("Value error, ")
                for e in exc.errors()
            )
        else:
            row.name, row.email = parsed.name, parsed.email
            row.extra_time_percent = parsed.extra_time_percent
            if parsed.email in seen:
                row.errors.append("email: appears twice in this file")
            seen.add(parsed.email)
        rows.append(row)
        if len(rows) > MAX_CSV_ROWS:
            raise ValidationFailed(f"Import at most {MAX_CSV_ROWS} candidates at a time.")
    return rows


def import_candidates(
    session: Session,
    *,
    principal: Principal,
    assessment_id: uuid.UUID,
    csv_text: str,
    commit: bool,
) -> tuple[list[CsvRow], list[Candidate]]:
    """Preview (commit=False) or invite every valid row; invalid rows are reported, not sent."""
    principal.require(Permission.MANAGE_CANDIDATES)
    assessment = assessments_service.get_or_raise(
        session, principal=principal, assessment_id=assessment_id
    )
    rows = parse_candidate_csv(csv_text)
    for row in rows:
        if not row.errors and repository.find_candidate_by_email(
            session,
            organization_id=principal.organization_id,
            assessment_id=assessment.id,
            email=row.email,
        ):
            row.errors.append("email: already invited to this assessment")
    created: list[Candidate] = []
    if commit:
        for row in rows:
            if not row.errors:
                candidate, _invitation, _token = invite(
                    session,
                    principal=principal,
                    assessment_id=assessment.id,
                    name=row.name,
                    email=row.email,
                    extra_time_percent=row.extra_time_percent,
                )
                created.append(candidate)
    return rows, created


def get_candidate_or_raise(
    session: Session, *, principal: Principal, candidate_id: uuid.UUID
) -> Candidate:
    principal.require(Permission.MANAGE_CANDIDATES)
    candidate = repository.get_candidate(
        session, organization_id=principal.organization_id, candidate_id=candidate_id
    )
    if candidate is None:
        raise NotFound("No such candidate in your organization.")
    return candidate


@dataclass(frozen=True)
class CandidateRecord:
    """A candidate as the recruiter sees them: state, deadline and the attempt's timing."""

    candidate: Candidate
    invitation: Invitation
    attempt: Attempt | None
    state: CandidateState
    signals: int = 0


def describe(session: Session, *, principal: Principal, candidate_id: uuid.UUID) -> CandidateRecord:
    candidate = get_candidate_or_raise(session, principal=principal, candidate_id=candidate_id)
    invitation = repository.get_invitation_of(
        session, organization_id=candidate.organization_id, candidate_id=candidate.id
    )
    if invitation is None:
        raise NotFound("No such candidate in your organization.")
    attempt = repository.get_attempt_of(
        session, organization_id=candidate.organization_id, invitation_id=invitation.id
    )
    signals = (
        len(
            repository.list_events(
                session, organization_id=candidate.organization_id, attempt_id=attempt.id
            )
        )
        if attempt
        else 0
    )
    return CandidateRecord(
        candidate,
        invitation,
        attempt,
        state_of(candidate, invitation, attempt, now=utcnow()),
        signals,
    )


def list_candidates(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> list[CandidateRecord]:
    principal.require(Permission.MANAGE_CANDIDATES)
    assessments_service.get_or_raise(session, principal=principal, assessment_id=assessment_id)
    now = utcnow()
    return [
        CandidateRecord(c, i, a, state_of(c, i, a, now=now))
        for c, i, a in repository.list_candidates(
            session, organization_id=principal.organization_id, assessment_id=assessment_id
        )
    ]


def extend(
    session: Session,
    *,
    principal: Principal,
    candidate_id: uuid.UUID,
    expires_at: datetime | None = None,
    add_minutes: int = 0,
) -> CandidateRecord:
    """Move a candidate's deadline, or add minutes to their current (or first) section."""
    record = describe(session, principal=principal, candidate_id=candidate_id)
    if record.state is CandidateState.DELETED:
        raise Gone("This candidate's data was deleted at their request.", code="deleted")
    if expires_at is not None:
        if expires_at <= utcnow():
            raise ValidationFailed("The new deadline must be in the future.")
        record.invitation.expires_at = expires_at
    if add_minutes:
        attempt = record.attempt
        if attempt is not None and attempt.finished_at is not None:
            raise Conflict("The candidate has already submitted.", code="already_submitted")
        if attempt is not None:
            now = utcnow()
            # Time that already ran out is given back from now, so the minutes are usable.
            attempt.section_deadline = max(attempt.section_deadline, now) + timedelta(
                minutes=add_minutes
            )
        else:
            record.candidate.extra_minutes += add_minutes
    return describe(session, principal=principal, candidate_id=candidate_id)


def signals_of(
    session: Session, *, principal: Principal, candidate_id: uuid.UUID
) -> list[IntegrityEvent]:
    record = describe(session, principal=principal, candidate_id=candidate_id)
    if record.attempt is None:
        return []
    return list(
        repository.list_events(
            session, organization_id=record.candidate.organization_id, attempt_id=record.attempt.id
        )
    )


# --- the candidate's link ------------------------------------------------------------------


@dataclass
class Access:
    """What a candidate's link opens: their invitation, person, assessment and attempt."""

    invitation: Invitation
    candidate: Candidate
    assessment: Assessment
    attempt: Attempt | None

    @property
    def organization_id(self) -> uuid.UUID:
        return self.candidate.organization_id


INVALID_LINK = "This assessment link is not valid. Check that you copied all of it from the email."


def resolve(session: Session, *, token: str) -> Access:
    """The link's invitation, or a clear 404 (unknown or tampered) / 410 (expired, deleted)."""
    if not token or len(token) > 128:
        raise NotFound(INVALID_LINK, code="invalid_link")
    invitation = repository.get_invitation_by_digest(session, token_digest(token))
    if invitation is None:
        raise NotFound(INVALID_LINK, code="invalid_link")
    candidate = repository.get_candidate(
        session, organization_id=invitation.organization_id, candidate_id=invitation.candidate_id
    )
    if candidate is None:
        raise NotFound(INVALID_LINK, code="invalid_link")
    if candidate.deleted_at is not None:
        raise Gone(
            "Your data for this assessment was deleted at your request; this link no longer works.",
            code="deleted",
        )
    if invitation.revoked_at is not None:
        raise Gone("This invitation was withdrawn by the employer.", code="invitation_revoked")
    assessment = assessments_repository.get_assessment(
        session, organization_id=invitation.organization_id, assessment_id=candidate.assessment_id
    )
    if assessment is None:
        raise NotFound(INVALID_LINK, code="invalid_link")
    attempt = repository.get_attempt_of(
        session, organization_id=invitation.organization_id, invitation_id=invitation.id
    )
    if attempt is None and invitation.expires_at <= utcnow():
        raise Gone(
            "This invitation expired on "
            f"{invitation.expires_at.strftime('%Y-%m-%d %H:%M UTC')}. "
            "Ask the employer for more time if you still want to take it.",
            code="invitation_expired",
        )
    return Access(invitation, candidate, assessment, attempt)


def open_link(session: Session, *, token: str) -> Access:
    access = resolve(session, token=token)
    if access.invitation.opened_at is None:
        access.invitation.opened_at = utcnow()
    return access


def _draw_form(session: Session, *, assessment: Assessment, seed: int) -> Form:
    from assay.assessments import service as assessments  # noqa: PLC0415 - their service is big

    return assessments.draw_form(session, assessment=assessment, seed=seed)


def _sections(form: Form) -> list[dict[str, Any]]:
    return list(form.sections)


def form_of(session: Session, access: Access) -> Form:
    if access.attempt is None:
        raise Conflict("The assessment has not been started yet.", code="not_started")
    form = repository.get_form(
        session, organization_id=access.organization_id, form_id=access.attempt.form_id
    )
    if form is None:
        raise NotFound("The form of this attempt no longer exists.")
    return form


def section_title(section: dict[str, Any]) -> str:
    try:
        return SECTION_TITLES[SectionKind(section.get("kind", ""))]
    except ValueError:
        return str(section.get("kind", "Section")).replace("_", " ").capitalize()


def delivered_items(section: dict[str, Any]) -> list[dict[str, Any]]:
    """A section's items as the candidate gets them: one per item id, in form order.

    Coding slots can hold one task per allowed language; the candidate sees each task once
    and picks among that task's languages.
    """
    seen: set[str] = set()
    items = []
    for item in section.get("items", []):
        if item["item_id"] not in seen:
            seen.add(item["item_id"])
            items.append(item)
    return items


def start(
    session: Session,
    *,
    token: str,
    browser_id: str,
    ip: str | None,
    user_agent: str | None,
) -> Access:
    """Start the attempt (the candidate consented); starting again just resumes it."""
    access = open_link(session, token=token)
    if access.attempt is not None:
        touch(session, access=access, browser_id=browser_id, ip=ip, user_agent=user_agent)
        return access
    if access.assessment.status is AssessmentStatus.CLOSED:
        raise Gone("This assessment is closed.", code="assessment_closed")
    form = _draw_form(session, assessment=access.assessment, seed=secrets.randbits(31))
    sections = _sections(form)
    if not sections:
        raise Conflict("This assessment has no sections yet.", code="empty_form")
    now = utcnow()
    deadline = now + section_limit(
        minutes=int(sections[0]["minutes"]),
        time_factor=access.candidate.time_factor,
        extra_minutes=access.candidate.extra_minutes,
    )
    attempt = Attempt(
        organization_id=access.organization_id,
        invitation_id=access.invitation.id,
        form_id=form.id,
        started_at=now,
        section_index=0,
        section_started_at=now,
        section_deadline=deadline,
        section_log=[{"started_at": now.isoformat(), "deadline": deadline.isoformat()}],
        browser_id=browser_id,
        browsers=[browser_id],
        ip=ip,
        user_agent=(user_agent or "")[:400] or None,
    )
    session.add(attempt)
    session.flush()
    access.attempt = attempt
    return access


def _event(
    session: Session,
    access: Access,
    *,
    kind: str,
    detail: dict[str, Any],
    ip: str | None,
    user_agent: str | None,
    client_at: datetime | None = None,
) -> IntegrityEvent:
    assert access.attempt is not None
    event = IntegrityEvent(
        organization_id=access.organization_id,
        attempt_id=access.attempt.id,
        kind=kind,
        detail=detail,
        client_at=client_at,
        server_at=utcnow(),
        ip=ip,
        user_agent=(user_agent or "")[:400] or None,
    )
    session.add(event)
    return event


def touch(
    session: Session, *, access: Access, browser_id: str, ip: str | None, user_agent: str | None
) -> None:
    """Record a new browser, IP or user agent on the link as signals; never block the candidate."""
    attempt = access.attempt
    if attempt is None or attempt.finished_at is not None:
        return
    if browser_id and browser_id not in attempt.browsers:
        attempt.browsers = [*attempt.browsers, browser_id]
        attempt.second_browser = True
        _event(
            session,
            access,
            kind="second_browser",
            detail={"browsers": len(attempt.browsers)},
            ip=ip,
            user_agent=user_agent,
        )
    if ip and attempt.ip and ip != attempt.ip:
        _event(
            session,
            access,
            kind="ip_change",
            detail={"from": attempt.ip, "to": ip},
            ip=ip,
            user_agent=user_agent,
        )
        attempt.ip = ip
    agent = (user_agent or "")[:400] or None
    if agent and attempt.user_agent and agent != attempt.user_agent:
        _event(
            session,
            access,
            kind="browser_change",
            detail={"from": attempt.user_agent, "to": agent},
            ip=ip,
            user_agent=user_agent,
        )
        attempt.user_agent = agent


@dataclass(frozen=True)
class Position:
    """Where the candidate is: section, its items, and the server's remaining seconds."""

    index: int
    count: int
    section: dict[str, Any]
    remaining: int
    finished: bool


def _close_section(session: Session, access: Access, form: Form, *, now: datetime) -> None:
    """Close the current section: queue the work samples for hidden-test grading."""
    attempt = access.attempt
    assert attempt is not None
    sections = _sections(form)
    section = sections[attempt.section_index]
    log = [dict(entry) for entry in attempt.section_log]
    log[-1]["closed_at"] = min(now, attempt.section_deadline).isoformat()
    attempt.section_log = log
    for item in delivered_items(section):
        if item.get("kind") in WORK_SAMPLES:
            _submit_work_sample(session, access, item_id=item["item_id"])
    _assign_reviewers(session, access, section)
    if attempt.section_index + 1 >= len(sections):
        attempt.finished_at = min(now, attempt.section_deadline)
        return
    attempt.section_index += 1
    # A later section starts when the candidate reaches it, never before the previous one ends.
    started = now
    deadline = started + section_limit(
        minutes=int(sections[attempt.section_index]["minutes"]),
        time_factor=access.candidate.time_factor,
    )
    attempt.section_started_at = started
    attempt.section_deadline = deadline
    attempt.section_log = [
        *log,
        {"started_at": started.isoformat(), "deadline": deadline.isoformat()},
    ]


def _assign_reviewers(session: Session, access: Access, section: dict[str, Any]) -> None:
    """Send the closed section's written answers to reviewers now, in this unit of work.

    A closed section's answers can no longer change, so they are ready for review. Each answer
    is assigned in its own savepoint: if a parallel request closing the same section won the
    race (the unique reviewer-per-answer index), or assignment fails for a reason of its own,
    the candidate's submission still goes through and the minute sweep tops the answer up.
    """
    from assay.results import review  # noqa: PLC0415 - results imports delivery

    attempt = access.attempt
    assert attempt is not None
    written = review.free_text_item_ids()
    for item in delivered_items(section):
        if item["item_id"] not in written:
            continue
        response = repository.get_response(
            session,
            organization_id=access.organization_id,
            attempt_id=attempt.id,
            item_id=item["item_id"],
        )
        if response is None:
            continue
        try:
            with session.begin_nested():
                review.assign_response(session, response=response)
        except (IntegrityError, AppError):
            continue


def _submit_work_sample(session: Session, access: Access, *, item_id: str) -> None:
    from assay.grading import service as grading  # noqa: PLC0415 - loads packages lazily

    attempt = access.attempt
    assert attempt is not None
    response = repository.get_response(
        session, organization_id=access.organization_id, attempt_id=attempt.id, item_id=item_id
    )
    if response is None or response.submission_id is not None:
        return
    answer = response.answer
    language = str(answer.get("language") or "")
    files = answer.get("files")
    if not isinstance(files, dict) or not files:
        return
    try:
        submission = grading.submit(
            session,
            organization_id=access.organization_id,
            task_id=item_id,
            language=language,
            files={str(k): str(v) for k, v in files.items()},
        )
    except AppError:
        # An answer that cannot be graded (no such language, too big) stays saved for review.
        return
    response.submission_id = submission.id


def position(session: Session, access: Access) -> Position:
    """Where the attempt stands now; a section whose time ran out is closed here."""
    attempt = access.attempt
    if attempt is None:
        raise Conflict("The assessment has not been started yet.", code="not_started")
    form = form_of(session, access)
    sections = _sections(form)
    now = utcnow()
    while attempt.finished_at is None and is_late(deadline=attempt.section_deadline, now=now):
        _close_section(session, access, form, now=now)
    index = min(attempt.section_index, len(sections) - 1)
    return Position(
        index=index,
        count=len(sections),
        section=sections[index],
        remaining=0
        if attempt.finished_at
        else remaining_seconds(deadline=attempt.section_deadline, now=now),
        finished=attempt.finished_at is not None,
    )


def next_section(session: Session, *, access: Access) -> Position:
    """The candidate is done with this section (they cannot come back to it)."""
    current = position(session, access)
    if current.finished:
        raise Conflict("You have already submitted this assessment.", code="already_submitted")
    _close_section(session, access, form_of(session, access), now=utcnow())
    return position(session, access)


def finish(session: Session, *, access: Access) -> Position:
    current = position(session, access)
    while not current.finished:
        current = next_section(session, access=access)
    return current


@dataclass(frozen=True)
class SaveResult:
    applied: bool  # False: a newer answer to the item was already stored (or a replay of one)
    replayed: bool
    sequence: int
    remaining: int
    section_index: int


TIME_UP = (
    "Time is up for this section, so this answer was not saved. "
    "Everything you saved before the limit has been kept."
)


def item_ref(section_index: int, position: int) -> str:
    """How the candidate's page names an item: by its place, never by its library id."""
    return f"q{section_index + 1}-{position + 1}"


def _form_item(sections: list[dict[str, Any]], ref: str) -> tuple[int, dict[str, Any]]:
    for index, section in enumerate(sections):
        for position, item in enumerate(delivered_items(section)):
            if item_ref(index, position) == ref:
                return index, item
    raise ValidationFailed(f"Item '{ref}' is not part of your assessment.", code="item_not_in_form")


def check_answer(kind: str, item: dict[str, Any], answer: dict[str, Any]) -> None:
    """The answer's shape for its kind; the size limit first, so nothing huge is parsed."""
    size = len(json.dumps(answer, separators=(",", ":")).encode())
    if size > MAX_ANSWER_BYTES:
        raise PayloadTooLarge(
            f"This answer is {size // 1024} kB; an answer may be at most "
            f"{MAX_ANSWER_BYTES // 1024} kB. It was not saved; your previous answer is kept.",
            code="answer_too_large",
        )
    if kind == "choice":
        selected = answer.get("selected")
        allowed = set(item.get("option_order") or [])
        if not isinstance(selected, list) or not all(isinstance(s, str) for s in selected):
            raise ValidationFailed("A choice answer is {'selected': [option ids]}.")
        if allowed and not set(selected) <= allowed:
            raise ValidationFailed("The answer selects an option this question does not have.")
    elif kind in WORK_SAMPLES:
        files = answer.get("files")
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise ValidationFailed("A code answer is {'language': ..., 'files': {name: text}}.")
    elif kind == "code_review":
        comments = answer.get("comments")
        if not isinstance(comments, list) or not all(
            isinstance(c, dict)
            and isinstance(c.get("file"), str)
            and isinstance(c.get("line"), int)
            for c in comments
        ):
            raise ValidationFailed("A review answer is {'comments': [{file, line, text}]}.")
    elif not isinstance(answer.get("text"), str):
        raise ValidationFailed("A written answer is {'text': ...}.")


def save(
    session: Session,
    *,
    access: Access,
    item_id: str,
    answer: dict[str, Any],
    sequence: int,
    idempotency_key: str,
) -> SaveResult:
    """Store one autosave exactly once, never letting an older save overwrite a newer one."""
    attempt = access.attempt
    if attempt is None:
        raise Conflict("Start the assessment before answering.", code="not_started")
    replay = _replay(session, access, item_id=item_id, idempotency_key=idempotency_key)
    if replay is not None:
        return replay
    try:
        return _save_once(
            session,
            access=access,
            item_id=item_id,
            answer=answer,
            sequence=sequence,
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        # A parallel request won a race: the same key (a retry of this very save) or the
        # item's first save under another key. Its row is committed now (the unique index made
        # us wait for it), so a replay answers with the winner's receipt, and a different
        # save is judged again against the stored answer's sequence.
        session.expire_all()
    replay = _replay(session, access, item_id=item_id, idempotency_key=idempotency_key)
    if replay is not None:
        return replay
    return _save_once(
        session,
        access=access,
        item_id=item_id,
        answer=answer,
        sequence=sequence,
        idempotency_key=idempotency_key,
    )


def _replay(
    session: Session, access: Access, *, item_id: str, idempotency_key: str
) -> SaveResult | None:
    """The outcome of a save already handled under this key (its response was lost), if any."""
    attempt = access.attempt
    assert attempt is not None
    receipt = repository.get_receipt(
        session, organization_id=access.organization_id, attempt_id=attempt.id, key=idempotency_key
    )
    if receipt is None:
        return None
    if receipt.item_id != item_id:
        raise Conflict("This idempotency key was used for another item.", code="key_reused")
    return SaveResult(
        receipt.applied,
        True,
        receipt.sequence,
        remaining_seconds(deadline=attempt.section_deadline, now=utcnow()),
        attempt.section_index,
    )


def _save_once(
    session: Session,
    *,
    access: Access,
    item_id: str,
    answer: dict[str, Any],
    sequence: int,
    idempotency_key: str,
) -> SaveResult:
    """One try at storing a new save; an IntegrityError means a parallel request won a race."""
    attempt = access.attempt
    assert attempt is not None
    now = utcnow()
    form = form_of(session, access)
    index, item = _form_item(_sections(form), item_id)
    ref, item_id = item_id, str(item["item_id"])
    if attempt.finished_at is not None:
        raise Gone(
            "You have already submitted this assessment; your answers are kept.",
            code="already_submitted",
        )
    if index < attempt.section_index or (
        index == attempt.section_index and is_late(deadline=attempt.section_deadline, now=now)
    ):
        raise Gone(TIME_UP, code="time_up")
    if index > attempt.section_index:
        raise Conflict("This question belongs to a later section.", code="section_not_open")
    check_answer(str(item.get("kind")), item, answer)
    response = repository.get_response(
        session, organization_id=access.organization_id, attempt_id=attempt.id, item_id=item_id
    )
    applied = response is None or sequence > response.sequence
    with session.begin_nested():
        if response is None:
            session.add(
                Response(
                    organization_id=access.organization_id,
                    attempt_id=attempt.id,
                    item_id=item_id,
                    item_version=int(item.get("version", 1)),
                    section_index=index,
                    answer=answer,
                    sequence=sequence,
                    updated_at=now,
                )
            )
        elif applied:
            response.answer = answer
            response.sequence = sequence
            response.updated_at = now
        session.add(
            SaveReceipt(
                organization_id=access.organization_id,
                attempt_id=attempt.id,
                idempotency_key=idempotency_key,
                item_id=ref,
                sequence=sequence,
                applied=applied,
            )
        )
    return SaveResult(
        applied,
        False,
        sequence,
        remaining_seconds(deadline=attempt.section_deadline, now=now),
        attempt.section_index,
    )


def record_signal(
    session: Session,
    *,
    access: Access,
    kind: str,
    detail: dict[str, Any],
    client_at: datetime | None,
    ip: str | None,
    user_agent: str | None,
) -> bool:
    """Store a browser-reported signal if the assessment records that kind; say whether it did."""
    setting = CLIENT_SIGNALS.get(kind)
    if setting is None:
        raise ValidationFailed(
            f"Unknown signal '{kind}'; expected one of {', '.join(CLIENT_SIGNALS)}."
        )
    if access.attempt is None or access.attempt.finished_at is not None:
        return False
    if not access.assessment.integrity.get(setting):
        return False
    clean = {k: v for k, v in detail.items() if k in {"chars", "seconds", "item_id"}}
    _event(
        session, access, kind=kind, detail=clean, ip=ip, user_agent=user_agent, client_at=client_at
    )
    return True


@dataclass(frozen=True)
class SampleRequest:
    """What a sample run needs, read from the database: plain data, no session, no rows."""

    task_id: str
    language: str
    files: dict[str, str]


def prepare_sample_run(
    session: Session, *, access: Access, item_id: str, language: str, files: dict[str, str]
) -> SampleRequest:
    """Check that the item's visible tests may run now; the caller runs them after commit.

    The sandbox takes seconds, so the request ends its transaction before running it: a
    database lock held that long would stall autosaves (and, on SQLite, every writer).
    """
    attempt = access.attempt
    if attempt is None or attempt.finished_at is not None:
        raise Conflict(
            "Sample tests run only while the assessment is in progress.", code="not_in_progress"
        )
    index, item = _form_item(_sections(form_of(session, access)), item_id)
    if index != attempt.section_index or is_late(deadline=attempt.section_deadline, now=utcnow()):
        raise Gone(
            TIME_UP.replace("this answer was not saved", "the tests were not run"), code="time_up"
        )
    if item.get("kind") not in WORK_SAMPLES:
        raise ValidationFailed("Only coding and SQL tasks have sample tests.")
    check_answer(str(item["kind"]), item, {"language": language, "files": files})
    return SampleRequest(task_id=str(item["item_id"]), language=language, files=dict(files))


def run_samples(sample: SampleRequest) -> dict[str, Any]:
    """Run the visible tests now, in the sandbox, and return per-test results (no database)."""
    from assay.delivery import samples  # noqa: PLC0415 - the engine loads lazily

    return samples.run(task_id=sample.task_id, language=sample.language, files=sample.files)


# --- the candidate's data ------------------------------------------------------------------


def export(session: Session, *, access: Access) -> dict[str, Any]:
    """Everything Assay stores about this candidate for this assessment, as JSON-ready data."""
    candidate, invitation, attempt = access.candidate, access.invitation, access.attempt
    data: dict[str, Any] = {
        "candidate": {
            "name": candidate.name,
            "email": candidate.email,
            "extra_time_percent": round((candidate.time_factor - 1) * 100),
            "invited_at": candidate.created_at.isoformat(),
        },
        "assessment": {"title": access.assessment.title},
        "invitation": {
            "expires_at": invitation.expires_at.isoformat(),
            "opened_at": invitation.opened_at.isoformat() if invitation.opened_at else None,
            "reminded_at": invitation.reminded_at.isoformat() if invitation.reminded_at else None,
        },
        "attempt": None,
        "answers": [],
        "signals": [],
        "mail": [
            {"subject": m.subject, "body": m.body, "sent_at": m.created_at.isoformat()}
            for m in repository.candidate_mail(
                session, organization_id=access.organization_id, email=candidate.email or ""
            )
        ],
    }
    if attempt is None:
        return data
    data["attempt"] = {
        "started_at": attempt.started_at.isoformat(),
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "sections": attempt.section_log,
        "ip": attempt.ip,
        "user_agent": attempt.user_agent,
        "second_browser": attempt.second_browser,
    }
    for response in repository.list_responses(
        session, organization_id=access.organization_id, attempt_id=attempt.id
    ):
        data["answers"].append(
            {
                "item_id": response.item_id,
                "item_version": response.item_version,
                "answer": response.answer,
                "saved_at": response.updated_at.isoformat(),
                "graded": _score(session, access, response),
            }
        )
    for event in repository.list_events(
        session, organization_id=access.organization_id, attempt_id=attempt.id
    ):
        data["signals"].append(
            {
                "kind": event.kind,
                "detail": event.detail,
                "at": event.server_at.isoformat(),
                "browser_time": event.client_at.isoformat() if event.client_at else None,
                "ip": event.ip,
                "user_agent": event.user_agent,
            }
        )
    return data


def _score(session: Session, access: Access, response: Response) -> float | None:
    if response.submission_id is None:
        return None
    results = repository.results_of(
        session, organization_id=access.organization_id, submission_id=response.submission_id
    )
    return results[-1].score if results else None


def delete_data(session: Session, *, access: Access) -> None:
    """Erase the candidate's personal data and answers; keep only anonymous aggregates."""
    candidate, attempt = access.candidate, access.attempt
    for message in repository.candidate_mail(
        session, organization_id=access.organization_id, email=candidate.email or ""
    ):
        message.to_address = "deleted"
        message.subject = "[deleted at the candidate's request]"
        message.body = "[deleted at the candidate's request]"
    if attempt is not None:
        items = []
        for response in repository.list_responses(
            session, organization_id=access.organization_id, attempt_id=attempt.id
        ):
            items.append(
                {
                    "item_id": response.item_id,
                    "item_version": response.item_version,
                    "answered": True,
                    "score": _score(session, access, response),
                }
            )
            if response.submission_id is not None:
                submission = grading_repository.get_submission(
                    session,
                    organization_id=access.organization_id,
                    submission_id=response.submission_id,
                )
                if submission is not None:
                    session.delete(submission)  # its files are the candidate's code
            session.delete(response)
        for receipt in repository.list_receipts(
            session, organization_id=access.organization_id, attempt_id=attempt.id
        ):
            session.delete(receipt)
        for event in repository.list_events(
            session, organization_id=access.organization_id, attempt_id=attempt.id
        ):
            session.delete(event)
        attempt.aggregate = {
            "section_minutes": _section_minutes(attempt),
            "finished": attempt.finished_at is not None,
            "items": items,
        }
        attempt.ip = None
        attempt.user_agent = None
        attempt.browser_id = "deleted"
        attempt.browsers = []
    candidate.name = None
    candidate.email = None
    candidate.deleted_at = utcnow()


def _section_minutes(attempt: Attempt) -> list[float | None]:
    minutes: list[float | None] = []
    for entry in attempt.section_log:
        if "closed_at" in entry:
            spent = datetime.fromisoformat(entry["closed_at"]) - datetime.fromisoformat(
                entry["started_at"]
            )
            minutes.append(round(spent.total_seconds() / 60, 1))
        else:
            minutes.append(None)
    return minutes


# --- reminders -----------------------------------------------------------------------------


def send_reminder(session: Session, *, invitation_id: uuid.UUID) -> bool:
    """Remind an invited candidate who has not started, once, before the link expires."""
    invitation = repository.get_invitation_for_job(session, invitation_id)
    if invitation is None or invitation.reminded_at is not None:
        return False
    candidate = repository.get_candidate(
        session, organization_id=invitation.organization_id, candidate_id=invitation.candidate_id
    )
    if candidate is None or candidate.deleted_at is not None:
        return False
    assessment = assessments_repository.get_assessment(
        session, organization_id=invitation.organization_id, assessment_id=candidate.assessment_id
    )
    if assessment is None:
        return False
    invitation.reminded_at = utcnow()
    mail_invitation(
        session,
        assessment=assessment,
        candidate=candidate,
        invitation=invitation,
        token=None,
        reminder=True,
    )
    return True


def close_overdue(session: Session, *, attempt_id: uuid.UUID) -> None:
    """Close the sections whose time ran out of an attempt nobody came back to."""
    attempt = repository.get_attempt_for_job(session, attempt_id)
    if attempt is None or attempt.finished_at is not None:
        return
    invitation = repository.get_invitation_for_job(session, attempt.invitation_id)
    assert invitation is not None
    candidate = repository.get_candidate(
        session, organization_id=attempt.organization_id, candidate_id=invitation.candidate_id
    )
    if candidate is None:
        return
    assessment = assessments_repository.get_assessment(
        session, organization_id=attempt.organization_id, assessment_id=candidate.assessment_id
    )
    if assessment is None:
        return
    position(session, Access(invitation, candidate, assessment, attempt))


def due_reminders(session: Session, *, now: datetime) -> list[uuid.UUID]:
    return list(repository.invitations_due_reminder(session, now=now, before=now + REMINDER_BEFORE))


def overdue_attempts(session: Session, *, now: datetime) -> list[uuid.UUID]:
    return list(repository.overdue_attempt_ids(session, now=now))


def resolve_for_candidate(session: Session, *, candidate_id: uuid.UUID) -> Access:
    """The candidate's access by id, for jobs and tests that have no token."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound("No such candidate.")
    invitation = repository.get_invitation_of(
        session, organization_id=candidate.organization_id, candidate_id=candidate.id
    )
    assessment = assessments_repository.get_assessment(
        session, organization_id=candidate.organization_id, assessment_id=candidate.assessment_id
    )
    if invitation is None or assessment is None:
        raise NotFound("No such candidate.")
    attempt = repository.get_attempt_of(
        session, organization_id=candidate.organization_id, invitation_id=invitation.id
    )
    return Access(invitation, candidate, assessment, attempt)


def responses_of(session: Session, *, access: Access) -> list[Response]:
    if access.attempt is None:
        return []
    return list(
        repository.list_responses(
            session, organization_id=access.organization_id, attempt_id=access.attempt.id
        )
    )
