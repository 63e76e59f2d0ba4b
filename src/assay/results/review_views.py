"""HTML pages of human review: the reviewer's queue, the blind review form, agreement."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from assay.errors import ValidationFailed
from assay.results import review
from assay.web.deps import CsrfChecked, DbSession, ViewUser
from assay.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/reviews")
def queue_page(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    entries = review.queue(session, principal=principal)
    return render(request, "review/queue.html", {"entries": entries})


@router.get("/reviews/{assignment_id}")
def review_page(
    assignment_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    task = review.review_task(session, principal=principal, assignment_id=assignment_id)
    return render(
        request,
        "review/review.html",
        {"task": task, "can_submit": task.assignment.reviewer_id == principal.user_id},
    )


async def _levels_and_comments(request: Request) -> tuple[dict[str, int], dict[str, str]]:
    """Radio groups are named level-<criterion>, comment boxes comment-<criterion>."""
    form = await request.form()
    levels: dict[str, int] = {}
    comments: dict[str, str] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            continue
        if key.startswith("level-"):
            try:
                levels[key.removeprefix("level-")] = int(value)
            except ValueError:
                raise ValidationFailed(f"'{value}' is not a level.") from None
        elif key.startswith("comment-"):
            comments[key.removeprefix("comment-")] = value
    return levels, comments


@router.post("/reviews/{assignment_id}", dependencies=[CsrfChecked])
async def submit_review(
    assignment_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    levels, comments = await _levels_and_comments(request)
    review.submit(
        session, principal=principal, assignment_id=assignment_id, levels=levels, comments=comments
    )
    return RedirectResponse("/reviews?done=1", status_code=303)


@router.get("/assessments/{assessment_id}/review-agreement")
def agreement_page(
    assessment_id: uuid.UUID, request: Request, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    report = review.agreement_report(session, principal=principal, assessment_id=assessment_id)
    return render(
        request,
        "review/agreement.html",
        {"report": report, "level_gap": review.LEVEL_GAP, "share_gap": review.SHARE_GAP},
    )
