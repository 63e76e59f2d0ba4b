"""Results rules: item and skill scores with errors, ranking, norms, reliability, decisions.

Scores are computed by a job (``results.recompute``) when an attempt's answers, grading
results or reviews change, and stored; pages and the API read the stored scores.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scipy import special
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.assessments.models import DEFAULT_REVIEWERS_PER_ANSWER, Assessment, Form
from assay.content.schemas import (
    ChoiceItem,
    CodeReviewTask,
    CodingTaskMeta,
    ContentItem,
    FreeTextTask,
    SqlTaskMeta,
)
from assay.delivery import repository as delivery_repository
from assay.delivery.models import Attempt, Candidate, IntegrityEvent, Invitation, Response
from assay.delivery.service import CandidateState, delivered_items, state_of
from assay.errors import AppError, NotFound, ValidationFailed
from assay.kit.clock import utcnow
from assay.results import repository, review_repository, rules
from assay.results.models import (
    AttemptScore,
    Decision,
    DecisionKind,
    ItemScore,
    ScoreSource,
    ScoreStatus,
)
from assay.scoring import classical, irt
from assay.scoring.responses import Response as ScoredResponse
from assay.scoring.responses import ResponseTable

OVERALL = "__overall__"
# Below this many candidates a percentile is shown with a warning beside it (docs/scoring.md).
SMALL_NORM_GROUP = 100
# A skill score with a standard error above this many points (a 95 % band about ±50 wide)
# says too little about the candidate to be shown as a number.
THIN_EVIDENCE_SE = 25.0


def too_little_evidence(entry: dict[str, Any] | None) -> bool:
    """Whether a stored skill score {"score", "se", ...} is too uncertain to show as a number."""
    return entry is not None and float(entry.get("se", 0.0)) > THIN_EVIDENCE_SE


def reviews_required(assessment: Assessment | None) -> int:
    """Independent reviews a written answer needs before its score counts: the assessment's
    reviewers per answer (the default when the assessment is gone)."""
    return (
        assessment.reviewers_per_answer if assessment is not None else DEFAULT_REVIEWERS_PER_ANSWER
    )


def profile_skills(assessment: Assessment) -> list[str]:
    """The skills the assessment's blueprint weighs, highest weight first (ties by name)."""
    weighted = sorted(assessment.profile.items(), key=lambda pair: (-float(pair[1]), pair[0]))
    return [skill for skill, weight in weighted if float(weight) > 0]


def _library_item(item_id: str) -> ContentItem | None:
    from assay.delivery.content import library_item  # noqa: PLC0415 - loads the library lazily

    try:
        return library_item(item_id)[0]
    except NotFound:
        return None


# --- item scores ---------------------------------------------------------------------------


def _work_sample_outcome(session: Session, response: Response | None) -> rules.ItemOutcome:
    if response is None or response.submission_id is None:
        return rules.unanswered(rules.CONTINUOUS_CATEGORIES)
    result = repository.latest_result(session, submission_id=response.submission_id)
    grading = (
        None
        if result is None
        else {"score": result.score, "verdict": result.verdict, "tests": result.tests}
    )
    return rules.score_work_sample(grading)


def _outcome(
    session: Session,
    *,
    item: ContentItem,
    response: Response | None,
    reviews: list[dict[str, Any]],
    required: int,
    awaiting_adjudication: bool = False,
) -> rules.ItemOutcome:
    if isinstance(item, CodingTaskMeta | SqlTaskMeta):
        return _work_sample_outcome(session, response)
    answer = response.answer if response is not None else None
    outcome = rules.unanswered(rules.CONTINUOUS_CATEGORIES)
    if isinstance(item, ChoiceItem):
        outcome = rules.unanswered(2 if item.mode == "single" else len(item.keys) + 1)
        if answer is not None:
            outcome = rules.score_choice(item, [str(s) for s in answer.get("selected", [])])
    elif isinstance(item, CodeReviewTask) and answer is not None:
        comments = [c for c in answer.get("comments", []) if isinstance(c, dict)]
        outcome = rules.score_code_review(item, comments)
    elif isinstance(item, FreeTextTask) and answer and str(answer.get("text", "")).strip():
        outcome = rules.score_free_text(
            item,
            reviews,
            required=required,
            awaiting_adjudication=awaiting_adjudication,
        )
    return outcome


def _form_items(form: Form) -> list[tuple[int, dict[str, Any]]]:
    return [
        (index, item)
        for index, section in enumerate(form.sections)
        for item in delivered_items(section)
    ]


def _section_seconds(attempt: Attempt) -> list[float | None]:
    seconds: list[float | None] = []
    for entry in attempt.section_log:
        closed = entry.get("closed_at")
        if closed is None:
            seconds.append(None)
            continue
        spent = datetime.fromisoformat(closed) - datetime.fromisoformat(entry["started_at"])
        seconds.append(max(spent.total_seconds(), 0.0))
    return seconds


def _reviews_by_item(session: Session, attempt: Attempt) -> dict[str, list[dict[str, Any]]]:
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for assignment, review in repository.reviews_of(
        session, organization_id=attempt.organization_id, attempt_id=attempt.id
    ):
        by_item[assignment.item_id].append(
            {
                "reviewer": str(assignment.reviewer_id),
                "adjudication": assignment.adjudication,
                "levels": dict(review.levels),
                "comments": dict(review.comments),
            }
        )
    return by_item


def _answered(response: Response | None) -> bool:
    if response is None:
        return False
    if response.submission_id is not None:
        return True
    answer = response.answer or {}
    return any(bool(value) for key, value in answer.items() if key != "language")


def _alternative_groups(section: dict[str, Any]) -> list[tuple[list[str], int]]:
    """A section's items grouped into alternatives: (item ids in form order, slots they fill).

    Coding slots hold one task per allowed language and the candidate answers one of them;
    a task reused for a second language can sit in another slot number, so items linked by
    sharing any slot form one group (connected components), filling that many slots.
    """
    parent: dict[str, str] = {}

    def root(item_id: str) -> str:
        while parent[item_id] != item_id:
            item_id = parent[item_id]
        return item_id

    by_slot: dict[Any, str] = {}
    slots_of: dict[str, set[Any]] = defaultdict(set)
    for entry in section.get("items", []):
        item_id = str(entry["item_id"])
        parent.setdefault(item_id, item_id)
        slot = entry.get("slot")
        if slot is None:
            slot = ("alone", item_id)  # a form without slot numbers: every item on its own
        slots_of[item_id].add(slot)
        if slot in by_slot:
            parent[root(item_id)] = root(by_slot[slot])
        else:
            by_slot[slot] = item_id
    groups: dict[str, list[str]] = defaultdict(list)
    for item_id in parent:
        groups[root(item_id)].append(item_id)
    return [
        (members, len(set().union(*(slots_of[m] for m in members)))) for members in groups.values()
    ]


def counted_items(form: Form, responses: dict[str, Response]) -> set[str]:
    """The item ids of a form that count: every item, but of a slot's alternatives only the
    answered one (the best answered ones when the candidate answered several; when none is
    answered, one of them, as an unanswered 0 — the slot counts once)."""
    counted: set[str] = set()
    for section in form.sections:
        for members, slots in _alternative_groups(section):
            ordered = sorted(
                members,
                key=lambda m: (
                    not _answered(responses.get(m)),
                    responses[m].submission_id is None if m in responses else True,
                    -(responses[m].updated_at.timestamp() if m in responses else 0.0),
                    members.index(m),
                ),
            )
            counted.update(ordered[:slots])
    return counted


def score_items(session: Session, *, attempt: Attempt, form: Form) -> list[ItemScore]:
    """Store (insert or update) one ItemScore per counted item of the attempt's form.

    Unanswered alternatives of a coding slot get no score (and lose one stored earlier).
    """
    responses = {
        r.item_id: r
        for r in delivery_repository.list_responses(
            session, organization_id=attempt.organization_id, attempt_id=attempt.id
        )
    }
    counted = counted_items(form, responses)
    existing = {
        s.item_id: s
        for s in repository.item_scores(
            session, organization_id=attempt.organization_id, attempt_id=attempt.id
        )
    }
    reviews = _reviews_by_item(session, attempt)
    required = reviews_required(session.get(Assessment, form.assessment_id))
    awaiting = review_repository.items_awaiting_adjudication(
        session, organization_id=attempt.organization_id, attempt_id=attempt.id
    )
    stored: list[ItemScore] = []
    for _section, form_item in _form_items(form):
        item_id = str(form_item["item_id"])
        if item_id not in counted:
            if item_id in existing:
                session.delete(existing[item_id])
            continue
        item = _library_item(item_id)
        if item is None:
            continue  # retired from the library: nothing to score it against
        outcome = _outcome(
            session,
            item=item,
            response=responses.get(item_id),
            reviews=reviews[item_id],
            required=required,
            awaiting_adjudication=item_id in awaiting,
        )
        row = existing.get(item_id) or ItemScore(
            organization_id=attempt.organization_id, attempt_id=attempt.id, item_id=item_id
        )
        row.item_version = int(form_item.get("version", item.version))
        row.kind = item.type
        row.score = outcome.score
        row.max_points = 1.0
        row.category = outcome.category
        row.categories = outcome.categories
        row.evidence = outcome.evidence
        row.source = ScoreSource.REVIEW if isinstance(item, FreeTextTask) else ScoreSource.AUTO
        row.status = ScoreStatus.PENDING if outcome.pending else ScoreStatus.SCORED
        row.updated_at = utcnow()
        if item_id not in existing:
            session.add(row)
        stored.append(row)
    session.flush()
    return stored


# --- skill and overall scores --------------------------------------------------------------


def _weights(scores: list[ItemScore], profile: dict[str, float]) -> dict[str, dict[str, float]]:
    """item → {skill: 1 for each skill it measures, OVERALL: its share of the blueprint}."""
    weights: dict[str, dict[str, float]] = {}
    for score in scores:
        item = _library_item(score.item_id)
        skills = list(item.skills) if item is not None else []
        overall = sum(profile.get(s, 0.0) for s in skills) / len(skills) if skills else 0.0
        weights[score.item_id] = dict.fromkeys(skills, 1.0) | {
            OVERALL: overall if overall > 0 else 1.0
        }
    return weights


@dataclass(frozen=True)
class ScoreSummary:
    overall: float
    overall_se: float
    skills: dict[str, dict[str, float]]
    theta: float | None = None
    theta_sd: float | None = None
    method: str = "classical"


def summarise(scores: list[ItemScore], profile: dict[str, float]) -> ScoreSummary:
    """Classical skill and overall scores (0..100) with their binomial standard errors."""
    counted = [s for s in scores if s.status is ScoreStatus.SCORED]
    if not counted:
        return ScoreSummary(0.0, 50.0, {})
    table = ResponseTable.from_responses(
        ScoredResponse(candidate="c", item=s.item_id, score=s.score) for s in counted
    )
    weights = _weights(counted, profile)
    results = classical.skill_scores(table, weights, declared_max={s.item_id: 1.0 for s in counted})
    skills: dict[str, dict[str, float]] = {}
    overall = ScoreSummary(0.0, 50.0, {})
    for result in results:
        if result.skill == OVERALL:
            overall = ScoreSummary(100 * result.score, 100 * result.se, {})
        else:
            skills[result.skill] = {
                "score": round(100 * result.score, 2),
                "se": round(100 * result.se, 2),
                "items": result.items,
                "weight": profile.get(result.skill, 0.0),
            }
    return ScoreSummary(overall.overall, overall.overall_se, skills)


def _irt_summary(session: Session, scores: list[ItemScore]) -> tuple[float, float] | None:
    """EAP θ and posterior SD when every scored item has a stored calibration of its version."""
    counted = [s for s in scores if s.status is ScoreStatus.SCORED]
    if not counted:
        return None
    stored = {
        (c.item_id, c.item_version): c
        for c in repository.calibrations(
            session,
            organization_id=counted[0].organization_id,
            item_ids=[s.item_id for s in counted],
        )
    }
    items = []
    for score in counted:
        calibration = stored.get((score.item_id, score.item_version))
        if calibration is None:
            return None
        params = calibration.params
        items.append(
            irt.ItemParameters(
                id=score.item_id,
                a=float(params["a"]),
                thresholds=tuple(float(b) for b in params["thresholds"]),
                scores=tuple(float(x) for x in params["scores"]),
            )
        )
    table = ResponseTable.from_responses(
        ScoredResponse(candidate="c", item=s.item_id, score=float(s.category)) for s in counted
    )
    estimate = irt.score_candidates(items, table)[0]
    return estimate.theta, estimate.se


def recompute(session: Session, *, attempt_id: uuid.UUID) -> AttemptScore | None:
    """Score every item of the attempt and store its skill and overall scores; idempotent."""
    attempt = repository.attempt_for_job(session, attempt_id)
    if attempt is None:
        return None
    form = session.get(Form, attempt.form_id)
    if form is None or form.organization_id != attempt.organization_id:
        return None
    assessment = session.get(Assessment, form.assessment_id)
    assert assessment is not None
    scores = score_items(session, attempt=attempt, form=form)
    summary = summarise(scores, dict(assessment.profile))
    row = repository.attempt_score(
        session, organization_id=attempt.organization_id, attempt_id=attempt.id
    ) or AttemptScore(
        organization_id=attempt.organization_id,
        attempt_id=attempt.id,
        assessment_id=assessment.id,
    )
    row.overall = round(summary.overall, 2)
    row.overall_se = round(summary.overall_se, 2)
    row.skills = summary.skills
    row.method = "classical"
    row.theta = row.theta_sd = None
    calibrated = _irt_summary(session, scores)
    if calibrated is not None:
        # On the IRT path the overall score is the candidate's place on the calibration
        # sample's ability scale, Φ(θ) × 100, with its SE by the delta method.
        theta, sd = calibrated
        row.theta, row.theta_sd, row.method = theta, sd, "irt"
        row.overall = round(100 * float(special.ndtr(theta)), 2)
        density = math.exp(-theta * theta / 2) / math.sqrt(2 * math.pi)
        row.overall_se = round(100 * density * sd, 2)
    row.pending_items = sum(s.status is ScoreStatus.PENDING for s in scores)
    row.computed_at = utcnow()
    if row not in session:
        session.add(row)
    session.flush()
    return row


# --- calibration ---------------------------------------------------------------------------


def calibrate(
    session: Session,
    *,
    organization_id: uuid.UUID,
    min_responses: int = irt.MIN_RESPONSES_PER_ITEM,
    min_candidates: int = irt.MIN_CANDIDATES,
) -> int:
    """Calibrate, by MML, every item version with enough scored responses; return how many.

    Right/wrong items (two categories) get the 2PL, partial-credit items the GRM. Items below
    ``min_responses`` keep classical scoring (docs/scoring.md has the thresholds).
    """
    from assay.results.models import ItemCalibration  # noqa: PLC0415

    rows = [
        s
        for s in repository.all_item_scores(session, organization_id=organization_id)
        if s.status is ScoreStatus.SCORED
    ]
    if len({s.attempt_id for s in rows}) < min_candidates:
        return 0
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for s in rows:
        counts[(s.item_id, s.item_version)] += 1
    ready = {key for key, n in counts.items() if n >= min_responses}
    stored = {
        (c.item_id, c.item_version): c
        for c in repository.calibrations(
            session, organization_id=organization_id, item_ids=sorted({k[0] for k in ready})
        )
    }
    calibrated = 0
    for model, wanted in (("2pl", 2), ("grm", None)):
        chosen = [
            s
            for s in rows
            if (s.item_id, s.item_version) in ready
            and ((s.categories == 2) if wanted == 2 else (s.categories > 2))
        ]
        if not chosen:
            continue
        table = ResponseTable.from_responses(
            ScoredResponse(candidate=str(s.attempt_id), item=s.item_id, score=float(s.category))
            for s in chosen
        )
        try:
            result = irt.calibrate(table, model="2pl" if model == "2pl" else "grm")
        except AppError:
            continue
        versions = {s.item_id: s.item_version for s in chosen}
        for params in result.items:
            key = (params.id, versions[params.id])
            row = stored.get(key) or ItemCalibration(
                organization_id=organization_id, item_id=key[0], item_version=key[1]
            )
            row.model = model
            row.params = {
                "a": params.a,
                "thresholds": list(params.thresholds),
                "scores": list(params.scores),
            }
            row.responses = counts[key]
            row.calibrated_at = utcnow()
            if key not in stored:
                session.add(row)
            calibrated += 1
    session.flush()
    return calibrated


# --- ranking -------------------------------------------------------------------------------


def p_above(a: tuple[float, float], b: tuple[float, float]) -> float:
    """P(A's true score is above B's) = Φ((θa − θb) / √(se_a² + se_b²))."""
    spread = math.sqrt(a[1] ** 2 + b[1] ** 2)
    if spread == 0:
        return 0.5 if a[0] == b[0] else float(a[0] > b[0])
    return float(special.ndtr((a[0] - b[0]) / spread))


@dataclass
class RankedCandidate:
    candidate: Candidate
    invitation: Invitation
    attempt: Attempt | None
    state: CandidateState
    score: AttemptScore | None
    decision: Decision | None
    rank: int | None = None
    percentile: float | None = None
    p_above_next: float | None = None

    @property
    def name(self) -> str:
        return self.candidate.name or "(deleted)"

    def skill(self, skill: str) -> float | None:
        if self.score is None or skill not in self.score.skills:
            return None
        return float(self.score.skills[skill]["score"])


@dataclass(frozen=True)
class RankingQuery:
    state: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    skill: str | None = None
    min_skill: float | None = None
    sort: str = "overall"  # overall | name | state | submitted | decision | skill:<id>
    descending: bool = True


def _assessment_or_raise(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> Assessment:
    assessment = assessments_repository.get_assessment(
        session, organization_id=principal.organization_id, assessment_id=assessment_id
    )
    if assessment is None:
        raise NotFound("No such assessment in your organization.")
    return assessment


def _mid_rank(value: float, group: list[float]) -> float:
    below = sum(v < value for v in group)
    ties = sum(v == value for v in group)
    return 100.0 * (below + 0.5 * ties) / len(group)


def _sort_key(query: RankingQuery) -> Any:
    def key(row: RankedCandidate) -> tuple[bool, Any]:
        if query.sort == "name":
            value: Any = row.name.lower()
        elif query.sort == "state":
            value = row.state.value
        elif query.sort == "submitted":
            value = row.attempt.finished_at if row.attempt else None
        elif query.sort == "decision":
            value = row.decision.decision.value if row.decision else None
        elif query.sort.startswith("skill:"):
            value = row.skill(query.sort.removeprefix("skill:"))
        elif query.sort == "overall":
            value = row.score.overall if row.score else None
        else:
            raise ValidationFailed(f"Cannot sort by '{query.sort}'.", code="invalid_sort")
        # Rows without a value always go last, whichever the direction.
        missing = value is None
        return (missing if not query.descending else not missing, value)

    return key


def ranking_skills(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> list[str]:
    """The skill columns of the ranked list: the blueprint's skills, highest weight first."""
    principal.require(Permission.VIEW_RESULTS)
    return profile_skills(
        _assessment_or_raise(session, principal=principal, assessment_id=assessment_id)
    )


def ranking(
    session: Session,
    *,
    principal: Principal,
    assessment_id: uuid.UUID,
    query: RankingQuery | None = None,
) -> list[RankedCandidate]:
    """Candidates with their scores, ranked by overall score, then filtered and sorted."""
    principal.require(Permission.VIEW_RESULTS)
    query = query or RankingQuery()
    _assessment_or_raise(session, principal=principal, assessment_id=assessment_id)
    org = principal.organization_id
    triples = delivery_repository.list_candidates(
        session, organization_id=org, assessment_id=assessment_id
    )
    scores = {
        s.attempt_id: s
        for s in repository.attempt_scores_of(
            session, organization_id=org, assessment_ids=[assessment_id]
        )
    }
    decisions: dict[uuid.UUID, Decision] = {}
    for decision in repository.decisions_of(
        session, organization_id=org, candidate_ids=[c.id for c, _i, _a in triples]
    ):
        decisions[decision.candidate_id] = decision
    now = utcnow()
    rows = [
        RankedCandidate(
            candidate,
            invitation,
            attempt,
            state_of(candidate, invitation, attempt, now=now),
            scores.get(attempt.id) if attempt else None,
            decisions.get(candidate.id),
        )
        for candidate, invitation, attempt in triples
    ]
    scored = sorted(
        (r for r in rows if r.score is not None),
        key=lambda r: (-r.score.overall if r.score else 0.0, r.candidate.created_at),
    )
    group = [r.score.overall for r in scored if r.score]
    for position, row in enumerate(scored):
        assert row.score is not None
        row.rank = position + 1
        row.percentile = round(_mid_rank(row.score.overall, group), 1)
        if position + 1 < len(scored):
            below = scored[position + 1].score
            assert below is not None
            row.p_above_next = round(p_above(*_abilities(row.score, below)), 3)
    # Rank order first, so rows the chosen sort cannot tell apart stay in rank order.
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    rows = [r for r in rows if _keep(r, query)]
    return sorted(rows, key=_sort_key(query), reverse=query.descending)


def _abilities(a: AttemptScore, b: AttemptScore) -> tuple[tuple[float, float], tuple[float, float]]:
    """Compare on θ with posterior SDs when both are IRT scores; the 0..100 scale is too bent
    there for its delta-method SEs to give the right probability. Otherwise on the scores."""
    if None not in (a.theta, a.theta_sd, b.theta, b.theta_sd):
        return (a.theta or 0.0, a.theta_sd or 0.0), (b.theta or 0.0, b.theta_sd or 0.0)
    return (a.overall, a.overall_se), (b.overall, b.overall_se)


def _keep(row: RankedCandidate, query: RankingQuery) -> bool:
    if query.state and row.state.value != query.state:
        return False
    overall = row.score.overall if row.score else None
    if query.min_score is not None and (overall is None or overall < query.min_score):
        return False
    if query.max_score is not None and (overall is None or overall > query.max_score):
        return False
    if query.skill:
        value = row.skill(query.skill)
        if value is None or (query.min_skill is not None and value < query.min_skill):
            return False
    return True


# --- norms and reliability -----------------------------------------------------------------


@dataclass(frozen=True)
class Norm:
    percentile: float
    low: float
    high: float
    group_size: int
    label: str


def _norm(score: AttemptScore, group: list[AttemptScore], label: str) -> Norm | None:
    values = [g.overall for g in group]
    if not values:
        return None
    return Norm(
        percentile=round(_mid_rank(score.overall, values), 1),
        low=round(_mid_rank(score.overall - score.overall_se, values), 1),
        high=round(_mid_rank(score.overall + score.overall_se, values), 1),
        group_size=len(values),
        label=label,
    )


@dataclass(frozen=True)
class ReliabilitySummary:
    value: float | None
    kind: str  # "Cronbach's alpha" | "marginal reliability"
    sem: float | None
    candidates: int

    @property
    def plain_words(self) -> str:
        if self.value is None or self.sem is None:
            return (
                f"Only {self.candidates} scored candidate(s) so far: too few to say how "
                "consistently this assessment measures."
            )
        share = max(min(self.value, 1.0), 0.0)
        quality = (
            "high"
            if share >= 0.8
            else "acceptable"
            if share >= 0.7
            else "low"
            if share >= 0.5
            else "poor"
        )
        return (
            f"Reliability ({self.kind}) is {share:.2f}, {quality}: about "
            f"{round(share * 100)} % of the spread in overall scores is real difference "
            f"between candidates, the rest is "
            f"luck of the items. A score is typically off by about {self.sem:.1f} points "
            f"(the standard error of measurement), so treat gaps smaller than about "
            f"{2 * self.sem:.0f} points as ties. Based on {self.candidates} candidates."
        )


# Alpha from a handful of candidates swings wildly; below this many on one form, use the
# marginal reliability over everyone instead.
MIN_FORM_GROUP_FOR_ALPHA = 20


def reliability(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> ReliabilitySummary:
    """Cronbach's alpha on the most common form when one has enough complete candidates,
    otherwise the marginal reliability var(score) / (var(score) + mean SE²) across forms."""
    principal.require(Permission.VIEW_RESULTS)
    _assessment_or_raise(session, principal=principal, assessment_id=assessment_id)
    org = principal.organization_id
    scores = repository.attempt_scores_of(
        session, organization_id=org, assessment_ids=[assessment_id]
    )
    items = [
        s
        for s in repository.item_scores_of_assessment(
            session, organization_id=org, assessment_id=assessment_id
        )
        if s.status is ScoreStatus.SCORED
    ]
    by_attempt: dict[uuid.UUID, frozenset[str]] = defaultdict(frozenset)
    for s in items:
        by_attempt[s.attempt_id] = by_attempt[s.attempt_id] | {s.item_id}
    forms: dict[frozenset[str], int] = defaultdict(int)
    for item_set in by_attempt.values():
        forms[item_set] += 1
    if forms:
        common, count = max(forms.items(), key=lambda pair: pair[1])
        if count >= MIN_FORM_GROUP_FOR_ALPHA and len(common) >= 2:
            table = ResponseTable.from_responses(
                ScoredResponse(candidate=str(s.attempt_id), item=s.item_id, score=s.score)
                for s in items
                if by_attempt[s.attempt_id] == common
            )
            found = classical.form_reliability(table)
            if found is not None and not math.isnan(found.alpha):
                # The SEM in points of the total, put on the 0..100 overall scale.
                return ReliabilitySummary(
                    found.alpha, "Cronbach's alpha", 100 * found.sem / len(common), count
                )
    estimates = [
        irt.AbilityEstimate(id=str(s.attempt_id), theta=s.overall, se=s.overall_se, responses=1)
        for s in scores
    ]
    value = irt.marginal_reliability(estimates)
    if math.isnan(value):
        return ReliabilitySummary(None, "marginal reliability", None, len(scores))
    sem = math.sqrt(sum(s.overall_se**2 for s in scores) / len(scores))
    return ReliabilitySummary(value, "marginal reliability", sem, len(scores))


# --- the candidate report ------------------------------------------------------------------


@dataclass
class Report:
    candidate: Candidate
    attempt: Attempt
    assessment: Assessment
    state: CandidateState
    score: AttemptScore | None
    items: list[ItemScore]
    sections: list[dict[str, Any]]
    signals: list[IntegrityEvent]
    decisions: list[Decision]
    norms: list[Norm] = field(default_factory=list)


def report(session: Session, *, principal: Principal, attempt_id: uuid.UUID) -> Report:
    """Everything a recruiter reads about one attempt: scores, evidence, time, signals."""
    principal.require(Permission.VIEW_RESULTS)
    org = principal.organization_id
    found = repository.candidate_of_attempt(session, organization_id=org, attempt_id=attempt_id)
    if found is None:
        raise NotFound("No such attempt in your organization.")
    candidate, invitation, attempt = found
    assessment = _assessment_or_raise(
        session, principal=principal, assessment_id=candidate.assessment_id
    )
    score = repository.attempt_score(session, organization_id=org, attempt_id=attempt.id)
    items = list(repository.item_scores(session, organization_id=org, attempt_id=attempt.id))
    form = delivery_repository.get_form(session, organization_id=org, form_id=attempt.form_id)
    seconds = _section_seconds(attempt)
    sections = [
        {
            "index": index,
            "kind": section.get("kind", ""),
            "minutes": section.get("minutes"),
            "seconds": seconds[index] if index < len(seconds) else None,
            "items": [str(i["item_id"]) for i in delivered_items(section)],
        }
        for index, section in enumerate(form.sections if form else [])
    ]
    norms: list[Norm] = []
    if score is not None:
        own = repository.attempt_scores_of(
            session, organization_id=org, assessment_ids=[assessment.id]
        )
        norm = _norm(score, list(own), "candidates of this assessment")
        if norm:
            norms.append(norm)
        sharing = repository.assessments_sharing_items(
            session, organization_id=org, item_ids=[i.item_id for i in items]
        )
        if len(sharing) > 1:
            bench = repository.attempt_scores_of(
                session, organization_id=org, assessment_ids=sharing
            )
            benchmark = _norm(
                score, list(bench), f"candidates of {len(sharing)} assessments sharing items"
            )
            if benchmark:
                norms.append(benchmark)
    return Report(
        candidate=candidate,
        attempt=attempt,
        assessment=assessment,
        state=state_of(candidate, invitation, attempt, now=utcnow()),
        score=score,
        items=items,
        sections=sections,
        signals=list(
            delivery_repository.list_events(session, organization_id=org, attempt_id=attempt.id)
        ),
        decisions=list(
            repository.decisions_of(session, organization_id=org, candidate_ids=[candidate.id])
        ),
        norms=norms,
    )


# --- decisions -----------------------------------------------------------------------------


def decide(
    session: Session,
    *,
    principal: Principal,
    attempt_id: uuid.UUID,
    decision: DecisionKind,
    note: str = "",
) -> Decision:
    """Record advance, hold or reject with a note, who decided and when (history is kept)."""
    principal.require(Permission.DECIDE)
    found = repository.candidate_of_attempt(
        session, organization_id=principal.organization_id, attempt_id=attempt_id
    )
    if found is None:
        raise NotFound("No such attempt in your organization.")
    candidate, _invitation, attempt = found
    row = Decision(
        organization_id=principal.organization_id,
        candidate_id=candidate.id,
        attempt_id=attempt.id,
        decision=decision,
        note=note.strip(),
        decided_by=principal.user_id,
        decided_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row
