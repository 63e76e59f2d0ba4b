"""Human review of written and design answers: assignment, blind review, adjudication, agreement.

Each answer goes to as many members allowed to review as its assessment asks for
(``reviewers_per_answer``, 2..5), the least loaded first and never the same person twice. A
reviewer sees the prompt, the answer and the rubric, nothing of the other reviews or the
candidate's other scores, and the candidate's name only when the assessment does not hide it
(``blind_reviewer_names``). When an answer's reviews are all in, the results service rescores
the attempt (it averages the reviewers' rubric shares); when reviewers disagree beyond the
thresholds below an admin or owner adjudicates, and their levels are final.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from assay.accounts.models import User
from assay.accounts.permissions import Permission, Role, allows
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.assessments.models import Assessment
from assay.content.schemas import FreeTextTask
from assay.delivery.content import library_item, render_markdown
from assay.delivery.models import Attempt, Response
from assay.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from assay.kit.clock import utcnow
from assay.results import agreement, rules
from assay.results import review_repository as repository
from assay.results import service as results
from assay.results.models import Review, ReviewAssignment, ReviewStatus

# An answer's reviewers disagree when any criterion is this many levels apart ...
LEVEL_GAP = 2
# ... or their weighted rubric shares (0..1) differ by more than this.
SHARE_GAP = 0.25
MAX_COMMENT = 4000
# Who settles a disagreement: their levels replace the regular reviewers'.
ADJUDICATOR_ROLES = frozenset({Role.OWNER, Role.ADMIN})


def reviews_per_answer(assessment: Assessment | None = None) -> int:
    """How many independent reviews an answer of ``assessment`` needs (its setting; the
    default for none). The results service keeps the score pending until as many are in."""
    return results.reviews_required(assessment)


def _assessment_of(session: Session, attempt_id: uuid.UUID) -> Assessment | None:
    assessment_id = repository.assessment_of_attempt(session, attempt_id=attempt_id)
    return None if assessment_id is None else session.get(Assessment, assessment_id)


@lru_cache(maxsize=1)
def free_text_item_ids() -> frozenset[str]:
    """Ids of every free-text (written or design) item in the content library."""
    from assay.content.loader import load_library  # noqa: PLC0415 - loads the library lazily

    return frozenset(
        item.id for _loaded, item in load_library().valid() if item.type == "free_text"
    )


def free_text_task(item_id: str) -> FreeTextTask:
    item = library_item(item_id)[0]
    if not isinstance(item, FreeTextTask):
        raise NotFound(f"Item '{item_id}' is not reviewed by people.")
    return item


def _answer_text(response: Response) -> str:
    return str((response.answer or {}).get("text", ""))


# --- assignment ----------------------------------------------------------------------------


def _pick(
    candidates: Sequence[User], load: Mapping[uuid.UUID, tuple[int, int]], count: int
) -> list[User]:
    """The ``count`` least-loaded members: fewest open assignments, then fewest ever, then
    longest-standing member, so that ties spread deterministically."""
    ranked = sorted(
        enumerate(candidates), key=lambda pair: (*load.get(pair[1].id, (0, 0)), pair[0])
    )
    return [user for _position, user in ranked[:count]]


def assign_response(
    session: Session, *, response: Response, count: int | None = None
) -> list[ReviewAssignment]:
    """Top up an answer's regular assignments to ``count`` (default: its assessment's
    reviewers per answer).

    Returns the assignments created. Fewer are made when the organization has too few
    members allowed to review who have not reviewed this answer already.
    """
    wanted = (
        count
        if count is not None
        else reviews_per_answer(_assessment_of(session, response.attempt_id))
    )
    if wanted < 1:
        raise ValidationFailed("An answer needs at least one reviewer.")
    org = response.organization_id
    existing = repository.assignments_of_response(
        session, organization_id=org, response_id=response.id
    )
    regular = [a for a in existing if not a.adjudication]
    missing = wanted - len(regular)
    if missing <= 0 or not _answer_text(response).strip():
        return []
    taken = {a.reviewer_id for a in existing}
    pool = [
        user
        for user in repository.active_members(session, organization_id=org)
        if allows(user.role, Permission.REVIEW) and user.id not in taken
    ]
    load = repository.load_of(session, organization_id=org)
    created = [
        ReviewAssignment(
            organization_id=org,
            response_id=response.id,
            attempt_id=response.attempt_id,
            item_id=response.item_id,
            reviewer_id=user.id,
            adjudication=False,
            status=ReviewStatus.OPEN,
        )
        for user in _pick(pool, load, missing)
    ]
    session.add_all(created)
    session.flush()
    return created


def assign_attempt(
    session: Session, *, principal: Principal, attempt_id: uuid.UUID, count: int | None = None
) -> list[ReviewAssignment]:
    """On demand: send an attempt's written answers to reviewers (a recruiter's action)."""
    principal.require(Permission.VIEW_RESULTS)
    org = principal.organization_id
    attempt = repository.attempt_in_org(session, organization_id=org, attempt_id=attempt_id)
    if attempt is None:
        raise NotFound("No such attempt in your organization.")
    return _assign_attempt(session, attempt=attempt, count=count)


def _assign_attempt(
    session: Session, *, attempt: Attempt, count: int | None
) -> list[ReviewAssignment]:
    created: list[ReviewAssignment] = []
    for response in repository.free_responses_of_attempt(
        session,
        organization_id=attempt.organization_id,
        attempt_id=attempt.id,
        item_ids=sorted(free_text_item_ids()),
    ):
        created.extend(assign_response(session, response=response, count=count))
    return created


def assign_pending(session: Session) -> int:
    """The periodic sweep: every written answer of a finished attempt that still lacks
    reviewers gets them. Returns how many assignments were created."""
    created = 0
    for response in repository.finished_responses_short_of(
        session, item_ids=sorted(free_text_item_ids())
    ):
        created += len(assign_response(session, response=response))
    return created


def _assign_adjudicator(
    session: Session, *, response: Response, taken: set[uuid.UUID]
) -> ReviewAssignment | None:
    org = response.organization_id
    pool = [
        user
        for user in repository.active_members(session, organization_id=org)
        if user.role in ADJUDICATOR_ROLES and user.id not in taken
    ]
    chosen = _pick(pool, repository.load_of(session, organization_id=org), 1)
    if not chosen:
        return None
    row = ReviewAssignment(
        organization_id=org,
        response_id=response.id,
        attempt_id=response.attempt_id,
        item_id=response.item_id,
        reviewer_id=chosen[0].id,
        adjudication=True,
        status=ReviewStatus.OPEN,
    )
    session.add(row)
    session.flush()
    return row


# --- reviewing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierReview:
    """A regular review, shown only to the adjudicator who settles the disagreement."""

    label: str
    levels: dict[str, int]
    comments: dict[str, str]
    share: float


@dataclass
class ReviewTask:
    """What a reviewer sees: the prompt, the answer and the rubric — nothing else."""

    assignment: ReviewAssignment
    task: FreeTextTask
    prompt_html: str
    answer: str
    candidate_label: str
    own_review: Review | None
    earlier_reviews: list[EarlierReview] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.answer.split())


def candidate_label(attempt_id: uuid.UUID) -> str:
    """What reviewers see when names are hidden: a stable, meaningless handle."""
    return f"Candidate {attempt_id.hex[:6].upper()}"


def shown_candidate(session: Session, *, attempt_id: uuid.UUID) -> str:
    """The candidate as reviewers see them: the handle, unless the assessment shows names
    (and the candidate gave one)."""
    assessment = _assessment_of(session, attempt_id)
    if assessment is not None and not assessment.blind_reviewer_names:
        name = repository.candidate_name_of_attempt(session, attempt_id=attempt_id)
        if name and name.strip():
            return name.strip()
    return candidate_label(attempt_id)


def _assignment_or_raise(
    session: Session, *, principal: Principal, assignment_id: uuid.UUID
) -> ReviewAssignment:
    principal.require(Permission.REVIEW)
    assignment = repository.get_assignment(
        session, organization_id=principal.organization_id, assignment_id=assignment_id
    )
    # Someone else's assignment is invisible, except to admins who oversee the queue.
    if assignment is None or (
        assignment.reviewer_id != principal.user_id and not principal.can(Permission.MANAGE_TEAM)
    ):
        raise NotFound("No such review assignment in your queue.")
    return assignment


def _response_or_raise(session: Session, assignment: ReviewAssignment) -> Response:
    response = repository.get_response(
        session, organization_id=assignment.organization_id, response_id=assignment.response_id
    )
    if response is None:
        raise NotFound("The answer of this assignment no longer exists.")
    return response


def review_task(session: Session, *, principal: Principal, assignment_id: uuid.UUID) -> ReviewTask:
    """One assignment as its reviewer sees it (blind to other reviews and scores, and to
    the name unless the assessment shows it)."""
    assignment = _assignment_or_raise(session, principal=principal, assignment_id=assignment_id)
    response = _response_or_raise(session, assignment)
    task = free_text_task(assignment.item_id)
    earlier: list[EarlierReview] = []
    if assignment.adjudication:
        pairs = repository.reviews_of_response(
            session, organization_id=assignment.organization_id, response_id=response.id
        )
        regular = [(a, r) for a, r in pairs if not a.adjudication]
        earlier = [
            EarlierReview(
                label=f"Reviewer {position}",
                levels=dict(review.levels),
                comments=dict(review.comments),
                share=review.score,
            )
            for position, (_a, review) in enumerate(regular, start=1)
        ]
    return ReviewTask(
        assignment=assignment,
        task=task,
        prompt_html=render_markdown(task.prompt),
        answer=_answer_text(response),
        candidate_label=shown_candidate(session, attempt_id=assignment.attempt_id),
        own_review=repository.review_of(
            session, organization_id=assignment.organization_id, assignment_id=assignment.id
        ),
        earlier_reviews=earlier,
    )


@dataclass(frozen=True)
class QueueEntry:
    assignment: ReviewAssignment
    title: str
    candidate_label: str


def queue(session: Session, *, principal: Principal) -> list[QueueEntry]:
    """The signed-in reviewer's open assignments, adjudications first, oldest first."""
    principal.require(Permission.REVIEW)
    if principal.user_id is None:
        return []  # an API key is nobody: it has no queue of its own
    entries = []
    for assignment in repository.open_assignments_of(
        session, organization_id=principal.organization_id, reviewer_id=principal.user_id
    ):
        try:
            title = free_text_task(assignment.item_id).title
        except NotFound:
            title = assignment.item_id
        shown = shown_candidate(session, attempt_id=assignment.attempt_id)
        entries.append(QueueEntry(assignment, title, shown))
    return entries


def check_levels(
    task: FreeTextTask, levels: Mapping[str, int], comments: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Exactly one anchored level for every criterion; comments only on known criteria."""
    known = {criterion.id: criterion for criterion in task.rubric}
    unknown = sorted((set(levels) | set(comments)) - set(known))
    if unknown:
        raise ValidationFailed(f"This rubric has no criterion {', '.join(unknown)}.")
    missing = [c.title for c in task.rubric if c.id not in levels]
    if missing:
        raise ValidationFailed(f"Choose a level for: {'; '.join(missing)}.")
    for criterion_id, level in levels.items():
        allowed = {lvl.score for lvl in known[criterion_id].levels}
        if level not in allowed:
            raise ValidationFailed(
                f"'{known[criterion_id].title}' has levels {sorted(allowed)}, not {level}."
            )
    for criterion_id, text in comments.items():
        if len(text) > MAX_COMMENT:
            raise ValidationFailed(
                f"A comment may be at most {MAX_COMMENT} characters "
                f"('{known[criterion_id].title}')."
            )
    clean = {key: text.strip() for key, text in comments.items() if text.strip()}
    return dict(levels), clean


def disagreement(task: FreeTextTask, reviews: Sequence[Mapping[str, int]]) -> str | None:
    """Why the regular reviews of one answer need an adjudicator, or None if they agree."""
    for criterion in task.rubric:
        given = [r[criterion.id] for r in reviews if criterion.id in r]
        if len(given) >= 2 and max(given) - min(given) >= LEVEL_GAP:
            return (
                f"'{criterion.title}' was given levels {min(given)} and {max(given)}, "
                f"{max(given) - min(given)} apart (threshold {LEVEL_GAP})."
            )
    shares = [rules.rubric_share(task, r) for r in reviews]
    if len(shares) >= 2 and max(shares) - min(shares) > SHARE_GAP + 1e-9:
        return (
            f"Overall shares {min(shares):.2f} and {max(shares):.2f} differ by more than "
            f"{SHARE_GAP:.2f}."
        )
    return None


@dataclass(frozen=True)
class SubmitOutcome:
    review: Review
    answer_complete: bool  # every regular review of the answer is in
    adjudication: ReviewAssignment | None  # created now because the reviewers disagreed
    disagreement: str | None
    final: bool  # the answer's score is settled (agreement, or an adjudicator's decision)


def submit(
    session: Session,
    *,
    principal: Principal,
    assignment_id: uuid.UUID,
    levels: Mapping[str, int],
    comments: Mapping[str, str] | None = None,
) -> SubmitOutcome:
    """Store a reviewer's levels and comments; settle or escalate the answer when complete."""
    assignment = _assignment_or_raise(session, principal=principal, assignment_id=assignment_id)
    if assignment.reviewer_id != principal.user_id:
        raise PermissionDenied("Only the assigned reviewer may submit this review.")
    if assignment.status is ReviewStatus.DONE:
        raise Conflict("You have already reviewed this answer.", code="already_reviewed")
    response = _response_or_raise(session, assignment)
    task = free_text_task(assignment.item_id)
    clean_levels, clean_comments = check_levels(task, levels, comments or {})
    review = Review(
        organization_id=assignment.organization_id,
        assignment_id=assignment.id,
        levels=clean_levels,
        comments=clean_comments,
        score=rules.rubric_share(task, clean_levels),
        submitted_at=utcnow(),
    )
    session.add(review)
    assignment.status = ReviewStatus.DONE
    session.flush()
    return _settle(session, assignment=assignment, response=response, task=task, review=review)


def _settle(
    session: Session,
    *,
    assignment: ReviewAssignment,
    response: Response,
    task: FreeTextTask,
    review: Review,
) -> SubmitOutcome:
    org = assignment.organization_id
    everyone = repository.assignments_of_response(
        session, organization_id=org, response_id=response.id
    )
    regular = [a for a in everyone if not a.adjudication]
    # Complete once the assessment's number of reviews is in (and any extra ones asked for):
    # before that the score stays pending and a disagreement is not yet worth an adjudicator.
    required = reviews_per_answer(_assessment_of(session, assignment.attempt_id))
    complete = len(regular) >= required and all(a.status is ReviewStatus.DONE for a in regular)
    if assignment.adjudication:
        results.recompute(session, attempt_id=assignment.attempt_id)
        return SubmitOutcome(review, complete, None, None, final=True)
    if not complete:
        return SubmitOutcome(review, False, None, None, final=False)
    done = [
        dict(r.levels)
        for a, r in repository.reviews_of_response(
            session, organization_id=org, response_id=response.id
        )
        if not a.adjudication
    ]
    reason = disagreement(task, done)
    created = None
    if reason is not None and not any(a.adjudication for a in everyone):
        created = _assign_adjudicator(
            session, response=response, taken={a.reviewer_id for a in everyone}
        )
    results.recompute(session, attempt_id=assignment.attempt_id)
    return SubmitOutcome(review, True, created, reason, final=reason is None)


# --- agreement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAgreement:
    item_id: str
    title: str
    answers: int  # answers with two or more regular reviews
    pairs: int
    kappa: float

    @property
    def words(self) -> str:
        return agreement.kappa_words(self.kappa)


@dataclass(frozen=True)
class ReviewerAgreement:
    reviewer_id: uuid.UUID
    name: str
    reviews: int
    pairs: int
    kappa: float

    @property
    def words(self) -> str:
        return agreement.kappa_words(self.kappa)


@dataclass(frozen=True)
class AgreementReport:
    assessment_id: uuid.UUID
    items: list[ItemAgreement]
    reviewers: list[ReviewerAgreement]
    alpha: float
    reviews: int
    adjudicated: int
    open_adjudications: int

    @property
    def alpha_words(self) -> str:
        return agreement.alpha_words(self.alpha)

    @property
    def summary(self) -> str:
        if math.isnan(self.alpha):
            return (
                f"{self.reviews} review(s) so far: too few answers reviewed twice to say how "
                "consistently reviewers apply the rubrics."
            )
        return (
            f"Krippendorff's alpha across every criterion of every reviewed answer is "
            f"{self.alpha:.2f}: {self.alpha_words}. 1 means reviewers always give the same "
            f"levels, 0 means their levels agree no more than chance would. "
            f"{self.adjudicated} answer(s) were settled by an adjudicator so far."
        )


def _categories(task: FreeTextTask | None, levels: Sequence[int]) -> int:
    top = max((lvl.score for c in task.rubric for lvl in c.levels), default=0) if task else 0
    return max(top, *levels, 1) + 1


def agreement_report(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> AgreementReport:
    """Weighted kappa per item and per reviewer, and alpha for the whole assessment."""
    principal.require(Permission.VIEW_RESULTS)
    org = principal.organization_id
    if (
        assessments_repository.get_assessment(
            session, organization_id=org, assessment_id=assessment_id
        )
        is None
    ):
        raise NotFound("No such assessment in your organization.")
    pairs = repository.reviews_of_assessment(
        session, organization_id=org, assessment_id=assessment_id
    )
    # response → criterion → [(reviewer, level)] over regular reviews only: an adjudicator
    # is called in precisely because the others disagreed, so counting them would flatter.
    units: dict[tuple[uuid.UUID, str], dict[str, list[tuple[str, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    tasks: dict[str, FreeTextTask | None] = {}
    adjudicated: set[uuid.UUID] = set()
    for assignment, review in pairs:
        if assignment.adjudication:
            adjudicated.add(assignment.response_id)
            continue
        if assignment.item_id not in tasks:
            try:
                tasks[assignment.item_id] = free_text_task(assignment.item_id)
            except NotFound:
                tasks[assignment.item_id] = None
        for criterion, level in review.levels.items():
            units[(assignment.response_id, assignment.item_id)][criterion].append(
                (str(assignment.reviewer_id), int(level))
            )
    items = _item_agreement(units, tasks)
    reviewers = _reviewer_agreement(session, org, units, tasks, pairs)
    alpha = agreement.krippendorff_alpha(
        (
            [_share(tasks.get(item_id), criterion, level) for _who, level in ratings]
            for (_response, item_id), criteria in units.items()
            for criterion, ratings in criteria.items()
        ),
        metric="interval",
    )
    return AgreementReport(
        assessment_id=assessment_id,
        items=items,
        reviewers=reviewers,
        alpha=alpha,
        reviews=sum(1 for a, _r in pairs if not a.adjudication),
        adjudicated=len(adjudicated),
        open_adjudications=repository.open_adjudications_of_assessment(
            session, organization_id=org, assessment_id=assessment_id
        ),
    )


def _share(task: FreeTextTask | None, criterion_id: str, level: int) -> float:
    """A level as a share of its criterion's top level, so criteria with 3 and 5 levels
    sit on one interval scale for alpha."""
    if task is not None:
        for criterion in task.rubric:
            if criterion.id == criterion_id:
                top = max(lvl.score for lvl in criterion.levels)
                return level / top if top else 0.0
    return float(level)


def _item_agreement(
    units: Mapping[tuple[uuid.UUID, str], Mapping[str, list[tuple[str, int]]]],
    tasks: Mapping[str, FreeTextTask | None],
) -> list[ItemAgreement]:
    by_item: dict[str, list[tuple[int, int]]] = defaultdict(list)
    answers: dict[str, int] = defaultdict(int)
    for (_response, item_id), criteria in units.items():
        paired = False
        for ratings in criteria.values():
            found = agreement.ordered_pairs(ratings)
            by_item[item_id].extend(found)
            paired = paired or bool(found)
        answers[item_id] += int(paired)
    rows = []
    for item_id in sorted(by_item):
        task = tasks.get(item_id)
        found = by_item[item_id]
        levels = [level for pair in found for level in pair]
        kappa = agreement.weighted_kappa(found, _categories(task, levels)) if found else math.nan
        rows.append(
            ItemAgreement(
                item_id, task.title if task else item_id, answers[item_id], len(found), kappa
            )
        )
    return rows


def _reviewer_agreement(
    session: Session,
    org: uuid.UUID,
    units: Mapping[tuple[uuid.UUID, str], Mapping[str, list[tuple[str, int]]]],
    tasks: Mapping[str, FreeTextTask | None],
    pairs: Sequence[tuple[ReviewAssignment, Review]],
) -> list[ReviewerAgreement]:
    """Each reviewer's levels against every other reviewer's on the same criterion."""
    against: dict[str, list[tuple[int, int]]] = defaultdict(list)
    top = 1
    for (_response, item_id), criteria in units.items():
        task = tasks.get(item_id)
        for ratings in criteria.values():
            top = max(top, _categories(task, [level for _w, level in ratings]) - 1)
            for who, level in ratings:
                against[who].extend((level, other) for w, other in ratings if w != who)
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for assignment, _review in pairs:
        if not assignment.adjudication:
            counts[assignment.reviewer_id] += 1
    users = repository.users_by_id(session, organization_id=org, user_ids=list(counts))
    rows = []
    for reviewer_id, reviews in counts.items():
        found = against.get(str(reviewer_id), [])
        user = users.get(reviewer_id)
        rows.append(
            ReviewerAgreement(
                reviewer_id=reviewer_id,
                name=user.name if user else "(removed member)",
                reviews=reviews,
                pairs=len(found),
                kappa=agreement.weighted_kappa(found, top + 1) if found else math.nan,
            )
        )
    return sorted(rows, key=lambda row: row.name.lower())
