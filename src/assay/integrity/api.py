"""JSON endpoints of integrity: flags of an assessment, one pair side by side, leaked solutions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from fastapi import APIRouter, Path, status

from assay.integrity import service
from assay.integrity.models import PairKind, SimilarityPair
from assay.integrity.schemas import (
    AssessmentIntegrityOut,
    CopyingOut,
    FragmentOut,
    LeakedSolutionCreate,
    LeakedSolutionOut,
    PairDetailOut,
    PairOut,
    RangeOut,
    SideOut,
    SignalOut,
    SpeedOut,
)
from assay.integrity.service import PairSide
from assay.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["integrity"])

TaskId = Path(max_length=120, pattern=r"^[a-z0-9][a-z0-9-]*$")


def pair_out(pair: SimilarityPair, attempts: Mapping[uuid.UUID, uuid.UUID]) -> PairOut:
    anonymous = pair.kind == PairKind.ANONYMOUS
    return PairOut(
        id=pair.id,
        task_id=pair.task_id,
        language=pair.language,
        kind=pair.kind,
        submission_a_id=pair.submission_a_id,
        attempt_a_id=attempts.get(pair.submission_a_id),
        submission_b_id=pair.submission_b_id,
        attempt_b_id=attempts.get(pair.submission_b_id) if pair.submission_b_id else None,
        leaked_solution_id=pair.leaked_solution_id,
        score=round(pair.score, 4),
        threshold=round(pair.threshold, 4),
        shared_fingerprints=pair.shared,
        longest_fragment_tokens=pair.longest_fragment_tokens,
        anonymous_matches=pair.matches if anonymous else None,
        fragments=[FragmentOut(**fragment) for fragment in pair.fragments],
        computed_at=pair.computed_at,
    )


@router.get("/assessments/{assessment_id}/integrity", response_model=AssessmentIntegrityOut)
def assessment_integrity(
    assessment_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> AssessmentIntegrityOut:
    """Similarity pairs above each task's threshold, answer-copying and rushed-answer flags.

    Signals for a person to look at, never verdicts.
    """
    found = service.assessment_integrity(session, principal=principal, assessment_id=assessment_id)
    return AssessmentIntegrityOut(
        similarity_pairs=[pair_out(p, found.submission_attempts) for p in found.pairs],
        answer_copying=[
            CopyingOut(
                attempt_a_id=f.attempt_a,
                attempt_b_id=f.attempt_b,
                identical_wrong=f.identical_wrong,
                both_wrong=f.both_wrong,
                expected_identical_wrong=round(f.expected_identical_wrong, 3),
                p_value=f.p_value,
            )
            for f in found.copying
        ],
        rushed_answers=[
            SpeedOut(
                attempt_id=f.attempt_id,
                item_id=f.item_id,
                seconds=round(f.seconds, 1),
                threshold_seconds=round(f.threshold_seconds, 1),
                correct=f.correct,
            )
            for f in found.speed
        ],
    )


def _side_out(side: PairSide) -> SideOut:
    return SideOut(
        title=side.title,
        attempt_id=side.attempt_id,
        files={f.path: "\n".join(line.text for line in f.lines) for f in side.files},
        ranges=[
            RangeOut(path=r["path"], from_line=r["from"], to_line=r["to"]) for r in side.ranges
        ],
    )


@router.get("/similarity-pairs/{pair_id}", response_model=PairDetailOut)
def similarity_pair(
    pair_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> PairDetailOut:
    """Both sides of a pair with the matched line ranges; an anonymous side has no code."""
    view = service.pair_view(session, principal=principal, pair_id=pair_id)
    attempts = {
        sub: attempt
        for sub, attempt in (
            (view.pair.submission_a_id, view.a.attempt_id),
            (view.pair.submission_b_id, view.b.attempt_id),
        )
        if sub is not None and attempt is not None
    }
    return PairDetailOut(
        pair=pair_out(view.pair, attempts),
        a=_side_out(view.a),
        b=_side_out(view.b),
        longest=view.longest,
    )


@router.get("/attempts/{attempt_id}/integrity", response_model=list[SignalOut])
def attempt_signals(
    attempt_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> list[SignalOut]:
    """Every integrity signal of one attempt with its evidence."""
    signals = service.signals_for(session, principal=principal, attempt_id=attempt_id)
    return [SignalOut(**vars(signal)) for signal in signals]


@router.post(
    "/tasks/{task_id}/leaked-solutions",
    status_code=status.HTTP_201_CREATED,
    response_model=LeakedSolutionOut,
)
def register_leaked_solution(
    body: LeakedSolutionCreate,
    principal: ApiPrincipal,
    session: DbSession,
    task_id: str = TaskId,
) -> LeakedSolutionOut:
    """Register a solution known to circulate; the task's submissions are compared with it."""
    leaked = service.register_leaked_solution(
        session,
        principal=principal,
        task_id=task_id,
        language=body.language,
        label=body.label,
        source=body.source,
        source_url=body.source_url,
    )
    return LeakedSolutionOut.model_validate(leaked)
