"""Item analysis over HTTP: the content authors' page and GET /api/v1/item-analysis."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from assay.results import item_analysis
from assay.results.item_analysis import finite
from assay.web.deps import ApiPrincipal, DbSession, ViewUser
from assay.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["item analysis"])


class OptionOut(BaseModel):
    option: str
    is_key: bool
    picked: int
    share: float
    upper_share: float
    lower_share: float


class DistractorOut(BaseModel):
    upper_group: int
    lower_group: int
    options: list[OptionOut]


class FlagOut(BaseModel):
    code: str
    message: str


class ItemAnalysisOut(BaseModel):
    item_id: str
    version: int
    kind: str
    title: str
    responses: int
    p_value: float
    point_biserial: float | None
    mean_seconds: float | None
    irt_model: str | None
    irt_a: float | None
    irt_b: list[float]
    distractors: DistractorOut | None
    flags: list[FlagOut]


class AnalysisOut(BaseModel):
    assessment_id: uuid.UUID | None
    candidates: int
    items: list[ItemAnalysisOut]


def analysis_out(report: item_analysis.AnalysisReport) -> AnalysisOut:
    return AnalysisOut(
        assessment_id=report.assessment_id,
        candidates=report.candidates,
        items=[
            ItemAnalysisOut(
                item_id=i.item_id,
                version=i.version,
                kind=i.kind,
                title=i.title,
                responses=i.responses,
                p_value=round(i.p_value, 4),
                point_biserial=finite(i.point_biserial),
                mean_seconds=i.mean_seconds,
                irt_model=i.irt_model,
                irt_a=i.irt_a,
                irt_b=list(i.irt_b),
                distractors=DistractorOut(
                    upper_group=i.distractors.upper_group,
                    lower_group=i.distractors.lower_group,
                    options=[
                        OptionOut(
                            option=o.option,
                            is_key=o.is_key,
                            picked=o.picked,
                            share=round(o.share, 4),
                            upper_share=round(o.upper_share, 4),
                            lower_share=round(o.lower_share, 4),
                        )
                        for o in i.distractors.options
                    ],
                )
                if i.distractors
                else None,
                flags=[FlagOut(code=f.code, message=f.message) for f in i.flags],
            )
            for i in report.items
        ],
    )


@api_router.get("/item-analysis", response_model=AnalysisOut)
def get_item_analysis(
    session: DbSession,
    principal: ApiPrincipal,
    assessment_id: Annotated[uuid.UUID | None, Query()] = None,
) -> AnalysisOut:
    """Per item: responses, p-value, point-biserial, IRT a/b, distractors, time and flags."""
    return analysis_out(
        item_analysis.analyse(session, principal=principal, assessment_id=assessment_id)
    )


@router.get("/item-analysis")
def item_analysis_page(
    request: Request,
    session: DbSession,
    who: ViewUser,
    assessment_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    principal, _user = who
    report = item_analysis.analyse(session, principal=principal, assessment_id=assessment_id)
    return render(request, "item_analysis/items.html", {"report": report})
