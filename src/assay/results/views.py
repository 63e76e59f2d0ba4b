"""HTML pages of results: the ranked list, side-by-side comparison, the report, decisions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from assay.accounts.permissions import Permission
from assay.errors import ValidationFailed
from assay.integrity.views import panel_context
from assay.results import charts, service
from assay.results.models import DecisionKind
from assay.results.service import RankingQuery
from assay.web.deps import CsrfChecked, DbSession, ViewUser
from assay.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_COMPARED = 4


def report_context(session: Session, report: service.Report) -> dict[str, Any]:
    """What the report page and its PDF both show, the integrity panel included.

    The blueprint's skills come first, highest weight first, in the chart and the table; the
    secondary skills that items also touch (a choice item on go, say) follow in their own table.
    """
    skills = report.score.skills if report.score else {}
    profile = [s for s in service.profile_skills(report.assessment) if s in skills]
    others = sorted(s for s in skills if s not in profile)
    return {
        "report": report,
        "score": report.score,
        "profile_skills": [(s, skills[s]) for s in profile],
        "other_skills": [(s, skills[s]) for s in others],
        "thin_se": service.THIN_EVIDENCE_SE,
        "chart": Markup(  # noqa: S704 - built by our code, text escaped
            charts.skill_bars({s: skills[s] for s in profile}, thin_se=service.THIN_EVIDENCE_SE)
        ),
        "items": report.items,
        "decision": report.decisions[-1] if report.decisions else None,
    } | panel_context(
        session, organization_id=report.attempt.organization_id, attempt_id=report.attempt.id
    )


def _number(text: str | None) -> float | None:
    """A filter box left empty is no filter; anything else must be a number 0..100."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed(f"'{text}' is not a number.") from None
    return min(max(value, 0.0), 100.0)


def page_query(
    *,
    state: Annotated[str | None, Query(max_length=16)] = None,
    min_score: Annotated[str | None, Query(max_length=12)] = None,
    skill: Annotated[str | None, Query(max_length=40)] = None,
    min_skill: Annotated[str | None, Query(max_length=12)] = None,
    sort: Annotated[str, Query(max_length=60)] = "overall",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
) -> RankingQuery:
    return RankingQuery(
        state=state or None,
        min_score=_number(min_score),
        skill=skill or None,
        min_skill=_number(min_skill),
        sort=sort,
        descending=order == "desc",
    )


@router.get("/assessments/{assessment_id}/results")
def ranking_page(
    assessment_id: uuid.UUID,
    request: Request,
    session: DbSession,
    who: ViewUser,
    query: Annotated[RankingQuery, Depends(page_query)],
) -> Response:
    principal, _user = who
    rows = service.ranking(session, principal=principal, assessment_id=assessment_id, query=query)
    skills = service.ranking_skills(session, principal=principal, assessment_id=assessment_id)
    return render(
        request,
        "results/ranking.html",
        {
            "assessment_id": assessment_id,
            "rows": rows,
            "skills": skills,
            "query": query,
            "thin_se": service.THIN_EVIDENCE_SE,
            "can_analyse_items": principal.can(Permission.MANAGE_CONTENT),
            "reliability": service.reliability(
                session, principal=principal, assessment_id=assessment_id
            ),
        },
    )


@router.get("/assessments/{assessment_id}/compare")
def compare_page(
    assessment_id: uuid.UUID,
    request: Request,
    session: DbSession,
    who: ViewUser,
    attempt: Annotated[list[uuid.UUID], Query()],
) -> Response:
    principal, _user = who
    if not 2 <= len(attempt) <= MAX_COMPARED:
        raise ValidationFailed(
            f"Choose two to {MAX_COMPARED} candidates to compare (you chose {len(attempt)}).",
            code="compare_count",
        )
    reports = [service.report(session, principal=principal, attempt_id=a) for a in attempt]
    if any(r.assessment.id != assessment_id for r in reports):
        raise ValidationFailed("Compare candidates of the same assessment.")
    items = sorted({i.item_id for r in reports for i in r.items})
    return render(
        request,
        "results/compare.html",
        {
            "assessment_id": assessment_id,
            "columns": [report_context(session, r) for r in reports],
            "item_ids": items,
            "by_item": [{i.item_id: i for i in r.items} for r in reports],
        },
    )


@router.get("/attempts/{attempt_id}/report")
def report_page(
    attempt_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    found = service.report(session, principal=principal, attempt_id=attempt_id)
    context = report_context(session, found) | {"can_decide": principal.can(Permission.DECIDE)}
    return render(request, "results/report.html", context)


@router.post("/attempts/{attempt_id}/decision", dependencies=[CsrfChecked])
def decide(
    attempt_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    decision: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    principal, _user = who
    try:
        kind = DecisionKind(decision)
    except ValueError:
        raise ValidationFailed("Choose advance, hold or reject.") from None
    service.decide(session, principal=principal, attempt_id=attempt_id, decision=kind, note=note)
    return RedirectResponse(f"/attempts/{attempt_id}/report", status_code=303)
