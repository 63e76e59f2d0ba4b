"""Seed the demo organization, once; running it again changes nothing.

The story: Northwind Payments is hiring a Lead Back-End Engineer. Forty simulated candidates
(assay.demo.story) were invited over the past week; most submitted, a few only opened the
link or are mid-attempt. Their coding and SQL answers are queued for the real grading
engine (graded by the worker once `assay serve` starts, never here: seeding stays fast).
Reviewers have scored about half of the design answers; the recruiter has decided on a few.

Everything is written through the domain services (invite, open, start, save, record a
signal, next section, finish, submit for grading, recompute scores, decide), which take
"now" from the real clock. History is then backdated on the rows, because no service
accepts a past time: candidate, invitation, form and mail creation times, ``opened_at``,
the attempt's start, section log, section deadline and finish, responses' and save
receipts' times, signals' server and browser times, submissions' creation times and
decisions' and reviews' times. Reviewers are assigned and review through
assay.results.review, as the periodic assignment sweep and the review pages would.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts import repository as accounts_repository
from assay.accounts import service as accounts
from assay.accounts.models import Organization, User
from assay.accounts.permissions import Role
from assay.accounts.service import Principal
from assay.assessments import service as assessments
from assay.assessments.models import Assessment, AssessmentStatus, Form
from assay.assessments.schemas import AssessmentCreate, AssessmentUpdate, IntegritySettings
from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask
from assay.delivery import repository as delivery_repository
from assay.delivery import service as delivery
from assay.delivery.content import library_item
from assay.delivery.models import Attempt, Candidate, Invitation
from assay.demo import story
from assay.demo.answers import USER_AGENTS
from assay.demo.story import Persona, Stage
from assay.grading import service as grading
from assay.grading.models import Submission
from assay.kit.clock import utcnow
from assay.results import review, review_repository
from assay.results import service as results
from assay.results.models import DecisionKind

DEMO_ORGANIZATION = "Northwind Payments"
DEMO_EMAIL = "owner@demo.assay.test"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by `make run` on purpose: it is the demo
TEAM = [
    ("Priya Raman", "recruiter@demo.assay.test", Role.RECRUITER),
    ("Tomás Silva", "reviewer@demo.assay.test", Role.REVIEWER),
    ("Ada Okafor", "admin@demo.assay.test", Role.ADMIN),
]
ASSESSMENT_TITLE = "Lead Back-End Engineer"
TEMPLATE_ID = "lead-back-end-engineer"
RANDOM_SEED = 2026
STORY_DAYS = 7
DECISIONS = (
    (DecisionKind.ADVANCE, "Strong coding and review; book the system design interview."),
    (DecisionKind.ADVANCE, "Solid across the board. Advance to the onsite loop."),
    (DecisionKind.HOLD, "Good design answer, weak SQL. Hold until we see the rest of the pool."),
    (DecisionKind.REJECT, "Well below the bar on coding and the code review."),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    created: bool
    candidates: int = 0


@dataclass
class Cast:
    """The demo staff as principals: who invites, decides and reviews."""

    owner: Principal
    recruiter: Principal
    members: dict[uuid.UUID, Principal]


@dataclass
class Taken:
    """What one simulated candidate did, for backdating and for reviews and decisions."""

    persona: Persona
    candidate: Candidate
    invitation: Invitation
    attempt: Attempt | None = None
    design: list[tuple[FreeTextTask, int]] = field(default_factory=list)


def seed(session: Session) -> DemoLogin:
    owner = accounts_repository.get_user_by_email(session, DEMO_EMAIL)
    if owner is None:
        owner = _seed_team(session)
    if _demo_assessment(session, organization_id=owner.organization_id) is not None:
        return DemoLogin(DEMO_EMAIL, DEMO_PASSWORD, created=False, candidates=0)
    count = _seed_story(session, cast=_cast(session, owner), now=utcnow())
    return DemoLogin(DEMO_EMAIL, DEMO_PASSWORD, created=True, candidates=count)


def _seed_team(session: Session) -> User:
    organization, owner = accounts.signup(
        session,
        organization_name=DEMO_ORGANIZATION,
        name="Morgan Demo",
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
    )
    for name, email, role in TEAM:
        # One argon2 hash for everyone: they share the demo password, and hashing is slow.
        session.add(
            User(
                organization_id=organization.id,
                email=email,
                name=name,
                password_hash=owner.password_hash,
                role=role,
            )
        )
    session.flush()
    return owner


def _principal(user: User) -> Principal:
    return Principal(organization_id=user.organization_id, role=user.role, user_id=user.id)


def _cast(session: Session, owner: User) -> Cast:
    team = {
        u.email: u
        for u in session.scalars(select(User).where(User.organization_id == owner.organization_id))
    }
    recruiter = team.get("recruiter@demo.assay.test", owner)
    members = {u.id: _principal(u) for u in team.values()}
    return Cast(_principal(owner), _principal(recruiter), members)


def _demo_assessment(session: Session, *, organization_id: uuid.UUID) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(
            Assessment.organization_id == organization_id,
            Assessment.template_id == TEMPLATE_ID,
            Assessment.title == ASSESSMENT_TITLE,
        )
    ).first()


def demo_organization(session: Session) -> Organization | None:
    owner = accounts_repository.get_user_by_email(session, DEMO_EMAIL)
    return session.get(Organization, owner.organization_id) if owner else None


# --- the story -----------------------------------------------------------------------------


def _seed_story(session: Session, *, cast: Cast, now: datetime) -> int:
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - a repeatable simulation, not a secret
    planned = assessments.create(
        session,
        principal=cast.owner,
        data=AssessmentCreate(title=ASSESSMENT_TITLE, template_id=TEMPLATE_ID),
    )
    assessment = planned.assessment
    assessments.update(
        session,
        principal=cast.owner,
        assessment_id=assessment.id,
        changes=AssessmentUpdate(
            status=AssessmentStatus.OPEN,
            deadline=now + timedelta(days=14),
            integrity=IntegritySettings(focus_loss=True, paste=True, fullscreen=True),
            intro=(
                "Thanks for applying to Northwind Payments. This assessment has five timed "
                "sections; answers save as you type. Use the language you are most fluent in."
            ),
        ),
    )
    assessment.created_at = now - timedelta(days=STORY_DAYS + 1)
    taken = [
        _play(session, cast=cast, assessment=assessment, persona=persona, rng=rng, now=now)
        for persona in story.cast(rng)
    ]
    finished = [t for t in taken if t.attempt is not None and t.attempt.finished_at is not None]
    _review(session, cast=cast, taken=finished, rng=rng)
    for t in finished:
        assert t.attempt is not None
        results.recompute(session, attempt_id=t.attempt.id)
    _decide(session, cast=cast, taken=finished, rng=rng, now=now)
    session.flush()
    return len(taken)


def _play(
    session: Session,
    *,
    cast: Cast,
    assessment: Assessment,
    persona: Persona,
    rng: random.Random,
    now: datetime,
) -> Taken:
    candidate, invitation, token = delivery.invite(
        session,
        principal=cast.recruiter,
        assessment_id=assessment.id,
        name=persona.name,
        email=persona.email,
        extra_time_percent=25 if rng.random() < 0.08 else 0,
    )
    taken = Taken(persona, candidate, invitation)
    if persona.stage is Stage.INVITED:
        _backdate_invitation(session, taken, invited=now - _hours(rng, 2, 40))
        return taken
    delivery.open_link(session, token=token)
    if persona.stage is Stage.OPENED:
        invited = now - _hours(rng, 20, 24 * STORY_DAYS)
        _backdate_invitation(session, taken, invited=invited, opened=invited + _hours(rng, 1, 18))
        return taken
    access = delivery.start(
        session,
        token=token,
        browser_id=uuid.UUID(int=rng.getrandbits(128)).hex,
        ip=f"203.0.113.{rng.randint(2, 254)}",
        user_agent=rng.choice(USER_AGENTS),
    )
    taken.attempt = access.attempt
    sections = delivery.form_of(session, access).sections
    stop = len(sections) if persona.stage is Stage.SUBMITTED else rng.randint(1, 2)
    signals = _signals_wanted(rng)
    for index in range(min(stop + 1, len(sections))):
        _answer_section(session, access, taken, index=index, rng=rng, signals=signals)
        if index < stop:
            delivery.next_section(session, access=access)
    _backdate_attempt(session, taken, sections=sections, rng=rng, now=now)
    return taken


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _signals_wanted(rng: random.Random) -> set[str]:
    wanted = set()
    if rng.random() < 0.12:
        wanted.add("paste")
    if rng.random() < 0.15:
        wanted.add("focus_loss")
    return wanted


def _answer_section(
    session: Session,
    access: delivery.Access,
    taken: Taken,
    *,
    index: int,
    rng: random.Random,
    signals: set[str],
) -> None:
    """Save this section's answers as the candidate's browser would, one save per item."""
    section = delivery.form_of(session, access).sections[index]
    items = delivery.delivered_items(section)
    ability = taken.persona.ability
    coding = [i for i in items if i.get("kind") == "coding"]
    # One coding task per candidate: the one in their language, else the first offered.
    chosen = next((i for i in coding if i.get("language") == taken.persona.language), None)
    chosen = chosen or (coding[0] if coding else None)
    for position, item in enumerate(items):
        ref = delivery.item_ref(index, position)
        kind = str(item.get("kind"))
        if kind == "coding" and item is not chosen:
            continue
        content, package_dir = library_item(str(item["item_id"]))
        if isinstance(content, FreeTextTask):
            quality = story.design_quality(content, ability, rng)
            taken.design.append((content, quality))
            answer: dict[str, Any] | None = {"text": story.design_answer(content, quality)}
        else:
            answer = _answer(
                kind, content, package_dir=package_dir, item=item, ability=ability, rng=rng
            )
        if answer is None:
            continue
        delivery.save(
            session,
            access=access,
            item_id=ref,
            answer=answer,
            sequence=1,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128)).hex,
        )
        if kind in delivery.WORK_SAMPLES and "paste" in signals:
            signals.discard("paste")
            _signal(session, access, "paste", {"chars": rng.randint(180, 1400), "item_id": ref})
        elif kind == "choice" and "focus_loss" in signals and rng.random() < 0.3:
            signals.discard("focus_loss")
            _signal(session, access, "focus_loss", {"seconds": rng.randint(6, 95), "item_id": ref})


def _answer(
    kind: str,
    content: Any,
    *,
    package_dir: Any,
    item: dict[str, Any],
    ability: float,
    rng: random.Random,
) -> dict[str, Any] | None:
    if isinstance(content, ChoiceItem):
        return {"selected": story.answer_choice(content, ability, rng)}
    if isinstance(content, CodeReviewTask):
        return story.answer_review(content, package_dir, ability, rng)
    if kind in delivery.WORK_SAMPLES:
        from assay.grading.packages import load_package  # noqa: PLC0415 - heavy, lazy

        package = load_package(grading.task_dir(str(item["item_id"])))
        language = "sql" if kind == "sql" else str(item.get("language") or "python")
        return story.answer_work_sample(
            package,
            language=language,
            difficulty=float(content.difficulty_prior),
            ability=ability,
            rng=rng,
        )
    return None


def _signal(session: Session, access: delivery.Access, kind: str, detail: dict[str, Any]) -> None:
    delivery.record_signal(
        session,
        access=access,
        kind=kind,
        detail=detail,
        client_at=utcnow(),
        ip=access.attempt.ip if access.attempt else None,
        user_agent=access.attempt.user_agent if access.attempt else None,
    )


# --- backdating ----------------------------------------------------------------------------


def _backdate_invitation(
    session: Session, taken: Taken, *, invited: datetime, opened: datetime | None = None
) -> None:
    taken.candidate.created_at = invited
    taken.invitation.created_at = invited
    taken.invitation.opened_at = opened
    for message in delivery_repository.candidate_mail(
        session, organization_id=taken.candidate.organization_id, email=taken.persona.email
    ):
        message.created_at = invited


def _backdate_attempt(
    session: Session,
    taken: Taken,
    *,
    sections: list[dict[str, Any]],
    rng: random.Random,
    now: datetime,
) -> None:
    """Move an attempt into the past week, section by section, with everything it holds."""
    attempt = taken.attempt
    assert attempt is not None
    reached = len(attempt.section_log)
    factor = taken.candidate.time_factor
    spent = [
        timedelta(minutes=float(sections[i]["minutes"]) * factor * rng.uniform(0.55, 0.97))
        for i in range(reached)
    ]
    if attempt.finished_at is not None:
        latest = now - _hours(rng, 3, 24 * (STORY_DAYS - 1.5))
        start = latest - sum(spent, timedelta())
    else:
        # Mid-attempt: the current section began a few minutes ago and is still running.
        current = now - timedelta(minutes=rng.uniform(2, 8))
        start = current - sum(spent[:-1], timedelta())
    opened = start - timedelta(minutes=rng.uniform(1, 25))
    _backdate_invitation(session, taken, invited=opened - _hours(rng, 1, 30), opened=opened)
    log, moment, windows = [], start, []
    for index in range(reached):
        deadline = moment + timedelta(minutes=float(sections[index]["minutes"]) * factor)
        entry = {"started_at": moment.isoformat(), "deadline": deadline.isoformat()}
        closed = moment + spent[index]
        finished_here = attempt.finished_at is not None or index < reached - 1
        if finished_here:
            entry["closed_at"] = closed.isoformat()
        windows.append((moment, closed if finished_here else now))
        log.append(entry)
        attempt.section_started_at, attempt.section_deadline = moment, deadline
        moment = closed
    attempt.section_log = log
    attempt.started_at = attempt.created_at = start
    if attempt.finished_at is not None:
        attempt.finished_at = windows[-1][1]
    form = session.get(Form, attempt.form_id)
    if form is not None:
        form.created_at = start
    _backdate_answers(session, attempt, windows=windows, rng=rng)


def _within(window: tuple[datetime, datetime], rng: random.Random) -> datetime:
    begin, end = window
    return begin + (end - begin) * rng.uniform(0.15, 0.95)


def _backdate_answers(
    session: Session,
    attempt: Attempt,
    *,
    windows: list[tuple[datetime, datetime]],
    rng: random.Random,
) -> None:
    org = attempt.organization_id
    for response in delivery_repository.list_responses(
        session, organization_id=org, attempt_id=attempt.id
    ):
        response.updated_at = response.created_at = _within(windows[response.section_index], rng)
        if response.submission_id is not None:
            submission = session.get(Submission, response.submission_id)
            if submission is not None:
                submission.created_at = windows[response.section_index][1]
    for receipt in delivery_repository.list_receipts(
        session, organization_id=org, attempt_id=attempt.id
    ):
        receipt.created_at = windows[0][0]
    for event in delivery_repository.list_events(
        session, organization_id=org, attempt_id=attempt.id
    ):
        section = _section_of_ref(str(event.detail.get("item_id", "q1-1")), len(windows))
        event.server_at = event.created_at = _within(windows[section], rng)
        # Browsers' clocks drift: the recorded browser time is a little off the server's.
        event.client_at = event.server_at - timedelta(seconds=rng.uniform(-4, 4))


def _section_of_ref(ref: str, sections: int) -> int:
    try:
        return min(int(ref[1:].split("-", maxsplit=1)[0]) - 1, sections - 1)
    except ValueError:
        return 0


# --- reviews and decisions -----------------------------------------------------------------


def _review(session: Session, *, cast: Cast, taken: list[Taken], rng: random.Random) -> None:
    """Send every design answer to reviewers (the review service picks them); about half
    are fully reviewed, a few have one review of two, the rest wait."""
    for number, t in enumerate(taken):
        attempt = t.attempt
        assert attempt is not None
        responses = {
            r.item_id: r
            for r in delivery_repository.list_responses(
                session, organization_id=attempt.organization_id, attempt_id=attempt.id
            )
        }
        for task, quality in t.design:
            response = responses.get(task.id)
            if response is None:
                continue
            # Delivery assigns reviewers when the section closes; top up, then take them all.
            review.assign_response(session, response=response)
            assignments = [
                a
                for a in review_repository.assignments_of_response(
                    session, organization_id=response.organization_id, response_id=response.id
                )
                if not a.adjudication
            ]
            wanted = len(assignments) if number % 2 == 0 else int(number % 4 == 1)
            for assignment in assignments[:wanted]:
                reviewer = cast.members.get(assignment.reviewer_id)
                if reviewer is None:
                    continue
                outcome = review.submit(
                    session,
                    principal=reviewer,
                    assignment_id=assignment.id,
                    levels=story.review_levels(task, quality, rng),
                )
                outcome.review.submitted_at = outcome.review.created_at = min(
                    utcnow(), response.updated_at + _hours(rng, 4, 30)
                )
    session.flush()


def _decide(
    session: Session, *, cast: Cast, taken: list[Taken], rng: random.Random, now: datetime
) -> None:
    """The recruiter decides on a few: the two strongest, one middling, the weakest."""
    if len(taken) < len(DECISIONS):
        return
    ranked = sorted(taken, key=lambda t: t.persona.ability, reverse=True)
    chosen = [ranked[0], ranked[1], ranked[len(ranked) // 2], ranked[-1]]
    for t, (kind, note) in zip(chosen, DECISIONS, strict=True):
        assert t.attempt is not None
        assert t.attempt.finished_at is not None
        decision = results.decide(
            session, principal=cast.recruiter, attempt_id=t.attempt.id, decision=kind, note=note
        )
        decision.decided_at = decision.created_at = min(
            now - timedelta(minutes=rng.uniform(20, 90)), t.attempt.finished_at + _hours(rng, 6, 30)
        )
