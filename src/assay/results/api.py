"""JSON endpoints of results: the ranked list and its exports, reports, decisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from starlette.responses import Response

from assay.errors import BadRequest
from assay.results import export, service
from assay.results.models import Decision, DecisionKind
from assay.results.schemas import (
    DecisionCreate,
    DecisionOut,
    ItemScoreOut,
    NormOut,
    RankedOut,
    RankingOut,
    ReliabilityOut,
    ReportOut,
    SectionOut,
    SignalOut,
    SkillScoreOut,
)
from assay.results.service import RankedCandidate, RankingQuery
from assay.web.deps import ApiPrincipal, DbSession, Page
from assay.web.templating import templates

router = APIRouter(tags=["results"])


def _skills(skills: dict[str, dict[str, float]]) -> list[SkillScoreOut]:
    return [
        SkillScoreOut(
            skill=name,
            score=entry["score"],
            se=entry["se"],
            items=int(entry.get("items", 0)),
            weight=float(entry.get("weight", 0.0)),
        )
        for name, entry in sorted(skills.items())
    ]


def ranked_out(row: RankedCandidate) -> RankedOut:
    score = row.score
    band = (
        (
            max(score.overall - 1.96 * score.overall_se, 0.0),
            min(score.overall + 1.96 * score.overall_se, 100.0),
        )
        if score
        else None
    )
    return RankedOut(
        rank=row.rank,
        candidate_id=row.candidate.id,
        attempt_id=row.attempt.id if row.attempt else None,
        name=row.name,
        state=row.state.value,
        overall=score.overall if score else None,
        overall_se=score.overall_se if score else None,
        band=band,
        method=score.method if score else None,
        percentile=row.percentile,
        p_above_next=row.p_above_next,
        skills=_skills(score.skills) if score else [],
        pending_items=score.pending_items if score else 0,
        decision=row.decision.decision.value if row.decision else None,
        submitted_at=row.attempt.finished_at if row.attempt else None,
    )


def ranking_query(
    *,
    state: Annotated[str | None, Query(max_length=16)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    skill: Annotated[str | None, Query(max_length=40)] = None,
    min_skill: Annotated[float | None, Query(ge=0, le=100)] = None,
    sort: Annotated[
        str,
        Query(max_length=60, description="overall, name, state, submitted, decision or skill:<id>"),
    ] = "overall",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
) -> RankingQuery:
    return RankingQuery(
        state=state,
        min_score=min_score,
        max_score=max_score,
        skill=skill,
        min_skill=min_skill,
        sort=sort,
        descending=order == "desc",
    )


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise BadRequest(
            "The cursor is not one this API issued; start again without it.", code="invalid_cursor"
        )
    return int(cursor)


@router.get("/assessments/{assessment_id}/results", response_model=RankingOut)
def results(
    assessment_id: uuid.UUID,
    principal: ApiPrincipal,
    session: DbSession,
    query: Annotated[RankingQuery, Depends(ranking_query)],
    page: Page,
) -> RankingOut:
    """Candidates ranked by overall score with bands, P(above the next), filters and sorting.

    `sort` is overall, name, state, submitted, decision or skill:<id>; `order` asc or desc.
    """
    rows = service.ranking(session, principal=principal, assessment_id=assessment_id, query=query)
    start = _offset(page.cursor)
    limit = page.limit
    shown = rows[start : start + limit]
    summary = service.reliability(session, principal=principal, assessment_id=assessment_id)
    return RankingOut(
        items=[ranked_out(row) for row in shown],
        next_cursor=str(start + limit) if start + limit < len(rows) else None,
        total=len(rows),
        reliability=ReliabilityOut(
            kind=summary.kind,
            value=summary.value,
            sem=summary.sem,
            candidates=summary.candidates,
            explanation=summary.plain_words,
        ),
    )


def _filename(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60] or "results"


@router.get("/assessments/{assessment_id}/results.csv", response_class=Response)
def results_csv(assessment_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> Response:
    """The ranked list as CSV (one row per candidate, a score and SE column per skill)."""
    rows = service.ranking(session, principal=principal, assessment_id=assessment_id)
    return Response(
        export.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="results.csv"'},
    )


@router.get("/assessments/{assessment_id}/results.xlsx", response_class=Response)
def results_xlsx(assessment_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> Response:
    """The ranked list as an Excel workbook."""
    rows = service.ranking(session, principal=principal, assessment_id=assessment_id)
    return Response(
        export.to_xlsx(rows, title="Ranking"),
        media_type=export.SPREADSHEET_TYPE,
        headers={"Content-Disposition": 'attachment; filename="results.xlsx"'},
    )


def report_out(report: service.Report) -> ReportOut:
    score = report.score
    return ReportOut(
        candidate_id=report.candidate.id,
        attempt_id=report.attempt.id,
        assessment_id=report.assessment.id,
        name=report.candidate.name or "(deleted)",
        state=report.state.value,
        overall=score.overall if score else None,
        overall_se=score.overall_se if score else None,
        method=score.method if score else None,
        theta=score.theta if score else None,
        theta_sd=score.theta_sd if score else None,
        skills=_skills(score.skills) if score else [],
        norms=[NormOut(**norm.__dict__) for norm in report.norms],
        items=[
            ItemScoreOut(
                item_id=i.item_id,
                item_version=i.item_version,
                kind=i.kind,
                score=i.score,
                status=i.status.value,
                source=i.source.value,
                evidence=i.evidence,
            )
            for i in report.items
        ],
        sections=[SectionOut(**section) for section in report.sections],
        signals=[
            SignalOut(kind=s.kind, detail=s.detail, server_at=s.server_at) for s in report.signals
        ],
        decisions=[decision_out(d) for d in report.decisions],
    )


def decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.id,
        candidate_id=decision.candidate_id,
        attempt_id=decision.attempt_id,
        decision=decision.decision.value,
        note=decision.note,
        decided_by=decision.decided_by,
        decided_at=decision.decided_at,
    )


@router.get("/attempts/{attempt_id}/report", response_model=ReportOut)
def report(attempt_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> ReportOut:
    """One attempt's scores with errors, norms, every answer's evidence, time and signals."""
    return report_out(service.report(session, principal=principal, attempt_id=attempt_id))


@router.get("/attempts/{attempt_id}/report.pdf", response_class=Response)
def report_pdf(attempt_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> Response:
    """The candidate report as a PDF."""
    from assay.results.views import report_context  # noqa: PLC0415 - shared with the page

    found = service.report(session, principal=principal, attempt_id=attempt_id)
    name = _filename(found.candidate.name or "report")
    html = templates.get_template("results/report_print.html").render(
        report_context(session, found)
    )
    return Response(
        export.to_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.post(
    "/attempts/{attempt_id}/decision",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionOut,
)
def decide(
    attempt_id: uuid.UUID, data: DecisionCreate, principal: ApiPrincipal, session: DbSession
) -> DecisionOut:
    """Advance, hold or reject the candidate with a note; who and when are recorded."""
    decision = service.decide(
        session,
        principal=principal,
        attempt_id=attempt_id,
        decision=DecisionKind(data.decision),
        note=data.note,
    )
    return decision_out(decision)
