"""HTML pages of the assessments domain: build from a template or a pasted description, review
the blueprint, change settings and preview the candidate's view, on the same services."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from markdown_it import MarkdownIt
from markupsafe import Markup
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import service
from assay.assessments.api import MAX_SEED, blueprint_out
from assay.assessments.blueprint import LANGUAGE_TITLES, ROLE_TEMPLATES, SECTION_TITLES, SectionKind
from assay.assessments.index import CODING_LANGUAGES
from assay.assessments.jd import SENIORITIES, JobProfile
from assay.assessments.models import MAX_REVIEWERS_PER_ANSWER, MIN_REVIEWERS_PER_ANSWER
from assay.assessments.schemas import (
    MAX_LOGO_BYTES,
    AssessmentCreate,
    AssessmentUpdate,
    BlueprintPlan,
    SkillWeight,
)
from assay.content.skills import SKILLS, get_skill
from assay.errors import AppError, NotFound, ValidationFailed
from assay.kit.pagination import PageParams
from assay.web.deps import CsrfChecked, DbSession, ViewUser
from assay.web.templating import render, templates

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
# Candidate-facing Markdown: raw HTML is escaped, never rendered (items are authored as files,
# but a stem must not be able to inject script into a candidate's page).
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    return Markup(_MARKDOWN.render(text))  # noqa: S704 - html is off, so the output is escaped


templates.env.filters["markdown"] = markdown
templates.env.globals["skill_title"] = lambda skill_id: get_skill(skill_id).title
templates.env.globals["section_title"] = lambda kind: SECTION_TITLES[SectionKind(kind)]
templates.env.globals["language_title"] = lambda lang: LANGUAGE_TITLES.get(lang, lang)


def _go(path: str, message: str | None = None) -> Response:
    suffix = "?" + urlencode({"message": message}) if message else ""
    return RedirectResponse(path + suffix, status_code=303)


def highlight(profile: JobProfile) -> list[tuple[str, str | None]]:
    """The analysed text as (segment, skill id or None): every evidence span becomes a mark."""
    spans = sorted((e.start, e.end, skill.id) for skill in profile.skills for e in skill.evidence)
    segments: list[tuple[str, str | None]] = []
    position = 0
    for start, end, skill in spans:
        if start < position:
            continue  # overlapping evidence: the first span keeps the words
        segments.append((profile.text[position:start], None))
        segments.append((profile.text[start:end], skill))
        position = end
    segments.append((profile.text[position:], None))
    return [(text, skill) for text, skill in segments if text]


@router.get("/assessments")
def list_page(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    rows = service.list_assessments(session, principal=principal, page=PageParams(limit=200))
    return render(
        request,
        "assessments/list.html",
        {
            "assessments": rows[:200],
            "can_manage": principal.can(Permission.MANAGE_ASSESSMENTS),
        },
    )


@router.get("/assessments/new")
def new_page(request: Request, who: ViewUser) -> Response:
    principal, _user = who
    principal.require(Permission.MANAGE_ASSESSMENTS)
    return render(
        request,
        "assessments/new.html",
        {"templates_": service.role_templates(), "error": None, "text": ""},
    )


@router.post("/assessments/new/template", dependencies=[CsrfChecked])
def create_from_template(
    request: Request,
    session: DbSession,
    who: ViewUser,
    template_id: FormStr = "",
    title: FormStr = "",
) -> Response:
    principal, _user = who
    template = ROLE_TEMPLATES.get(template_id)
    try:
        data = AssessmentCreate(
            title=title.strip() or (template.title if template else "Assessment"),
            template_id=template_id,
        )
        planned = service.create(session, principal=principal, data=data)
    except (ValidationError, ValidationFailed) as exc:
        return render(
            request,
            "assessments/new.html",
            {"templates_": service.role_templates(), "error": str(exc), "text": ""},
            status=422,
        )
    return _go(f"/assessments/{planned.assessment.id}/blueprint")


@router.post("/assessments/new/analyze", dependencies=[CsrfChecked])
def analyze(request: Request, who: ViewUser, text: FormStr = "", title: FormStr = "") -> Response:
    principal, _user = who
    profile = service.analyze_job_description(principal=principal, text=text)
    return _analysis_page(request, profile, title=title or profile.title or "")


def _analysis_page(
    request: Request, profile: JobProfile, *, title: str, status: int = 200, error: str = ""
) -> Response:
    found = {skill.id: skill for skill in profile.skills}
    rows = [
        {
            "id": skill.id,
            "title": skill.title,
            "found": skill.id in found,
            "weight": round(found[skill.id].weight, 2) if skill.id in found else 0.5,
            "nice": found[skill.id].nice_to_have_only if skill.id in found else False,
            "phrases": list(
                dict.fromkeys(" ".join(e.text.split()) for e in found[skill.id].evidence)
            )[:4]
            if skill.id in found
            else [],
        }
        for skill in SKILLS
    ]
    weight = {skill.id: skill.weight for skill in profile.skills}
    rows.sort(key=lambda r: -weight.get(str(r["id"]), -1.0))
    return render(
        request,
        "assessments/analysis.html",
        {
            "profile": profile,
            "segments": highlight(profile),
            "rows": rows,
            "title": title,
            "seniorities": SENIORITIES,
            "error": error,
        },
        status=status,
    )


@router.post("/assessments/new/profile", dependencies=[CsrfChecked])
async def create_from_profile(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, _user = who
    form = await request.form()
    text = str(form.get("text", ""))
    chosen = [str(v) for v in form.getlist("skill")]
    try:
        weights = [
            SkillWeight(id=skill, weight=float(str(form.get(f"weight-{skill}") or "0")))
            for skill in chosen
        ]
        data = AssessmentCreate(
            title=str(form.get("title", "")).strip() or "Assessment",
            job_description=text or None,
            profile=weights,
            seniority=str(form.get("seniority", "mid")),
        )
        planned = service.create(session, principal=principal, data=data)
    except (ValidationError, ValueError, ValidationFailed) as exc:
        message = exc.message if isinstance(exc, AppError) else _first_error(exc)
        profile = service.analyze_job_description(principal=principal, text=text)
        return _analysis_page(
            request, profile, title=str(form.get("title", "")), status=422, error=message
        )
    return _go(f"/assessments/{planned.assessment.id}/blueprint")


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}".removeprefix(": ")
    return "Weights are numbers between 0 and 1."


def _reviewers_per_answer(form: FormData) -> int:
    """The settings form's reviewer count, refused with a plain message unless 2..5."""
    try:
        count = int(str(form.get("reviewers_per_answer", "")))
    except ValueError:
        count = 0
    if not MIN_REVIEWERS_PER_ANSWER <= count <= MAX_REVIEWERS_PER_ANSWER:
        raise ValidationFailed(
            f"Reviewers per answer must be a whole number from {MIN_REVIEWERS_PER_ANSWER} "
            f"to {MAX_REVIEWERS_PER_ANSWER}."
        )
    return count


def _get(session: DbSession, who: Any, assessment_id: uuid.UUID) -> Any:
    principal, _user = who
    return service.get_or_raise(session, principal=principal, assessment_id=assessment_id)


@router.get("/assessments/{assessment_id}")
def overview(
    request: Request,
    assessment_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    message: str | None = None,
) -> Response:
    assessment = _get(session, who, assessment_id)
    blueprint = service.get_blueprint(session, assessment=assessment)
    shaped = blueprint_out(blueprint, service.assembly_of(blueprint)) if blueprint else None
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "blueprint": shaped,
            "message": message,
            "can_manage": who[0].can(Permission.MANAGE_ASSESSMENTS),
        },
    )


@router.get("/assessments/{assessment_id}/blueprint")
def blueprint_page(
    request: Request,
    assessment_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    message: str | None = None,
) -> Response:
    assessment = _get(session, who, assessment_id)
    blueprint = service.get_blueprint(session, assessment=assessment)
    shaped = blueprint_out(blueprint, service.assembly_of(blueprint)) if blueprint else None
    return render(
        request,
        "assessments/blueprint.html",
        {
            "assessment": assessment,
            "blueprint": shaped,
            "message": message,
            "languages": CODING_LANGUAGES,
            "profile": sorted(assessment.profile.items(), key=lambda kv: -kv[1]),
        },
    )


@router.post("/assessments/{assessment_id}/blueprint", dependencies=[CsrfChecked])
async def replan(
    request: Request, assessment_id: uuid.UUID, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    form = await request.form()
    try:
        section_minutes = {
            kind: int(str(form[f"minutes-{kind.value}"]))
            for kind in SectionKind
            if form.get(f"minutes-{kind.value}")
        }
        plan = BlueprintPlan.model_validate(
            {
                "languages": [str(v) for v in form.getlist("language")],
                "section_minutes": section_minutes or None,
            }
        )
        planned = service.plan_blueprint(
            session, principal=principal, assessment_id=assessment_id, plan=plan
        )
    except (ValidationError, ValueError, ValidationFailed) as exc:
        message = exc.message if isinstance(exc, AppError) else _first_error(exc)
        return _go(f"/assessments/{assessment_id}/blueprint", message)
    _ = planned
    return _go(f"/assessments/{assessment_id}/blueprint", "Blueprint updated.")


@router.get("/assessments/{assessment_id}/settings")
def settings_page(
    request: Request,
    assessment_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    message: str | None = None,
) -> Response:
    assessment = _get(session, who, assessment_id)
    who[0].require(Permission.MANAGE_ASSESSMENTS)
    return render(
        request,
        "assessments/settings.html",
        {
            "assessment": assessment,
            "message": message,
            "languages": CODING_LANGUAGES,
            "reviewers_range": (MIN_REVIEWERS_PER_ANSWER, MAX_REVIEWERS_PER_ANSWER),
        },
    )


@router.post("/assessments/{assessment_id}/settings", dependencies=[CsrfChecked])
async def save_settings(
    request: Request, assessment_id: uuid.UUID, session: DbSession, who: ViewUser
) -> Response:
    principal, _user = who
    form = await request.form()
    back = f"/assessments/{assessment_id}/settings"
    try:
        return await _save_settings(session, principal, assessment_id, form, back)
    finally:
        await form.close()  # the uploaded logo's spooled file


async def _save_settings(
    session: DbSession, principal: Principal, assessment_id: uuid.UUID, form: FormData, back: str
) -> Response:
    try:
        deadline = str(form.get("deadline", "")).strip()
        changes: dict[str, Any] = {
            "title": str(form.get("title", "")),
            "intro": str(form.get("intro", "")),
            "brand_colour": str(form.get("brand_colour", "")) or None,
            "deadline": datetime.fromisoformat(deadline).replace(tzinfo=UTC) if deadline else None,
            "integrity": {k: k in form for k in ("focus_loss", "paste", "fullscreen")},
            "accommodations": [int(str(v)) for v in form.getlist("accommodation")],
            "custom_accommodation": "custom_accommodation" in form,
            "blind_reviewer_names": "blind_reviewer_names" in form,
        }
        if form.get("reviewers_per_answer"):
            changes["reviewers_per_answer"] = _reviewers_per_answer(form)
        if form.get("total_minutes"):
            changes["total_minutes"] = int(str(form["total_minutes"]))
        if form.getlist("language"):
            changes["languages"] = [str(v) for v in form.getlist("language")]
        if "status" in form:
            changes["status"] = str(form["status"])
        planned = service.update(
            session,
            principal=principal,
            assessment_id=assessment_id,
            changes=AssessmentUpdate.model_validate(changes),
        )
        logo = form.get("logo")
        if isinstance(logo, UploadFile) and logo.filename:
            data = await logo.read(MAX_LOGO_BYTES + 1)
            service.set_logo_for(
                session,
                principal=principal,
                assessment_id=assessment_id,
                content_type=logo.content_type or "",
                data=data,
            )
    except NotFound:
        raise  # another organization's assessment: a 404, never a "saved" redirect
    except (ValidationError, ValueError, AppError) as exc:
        message = exc.message if isinstance(exc, AppError) else _first_error(exc)
        session.rollback()
        return _go(back, message)
    note = " ".join(planned.messages)
    return _go(back, ("Settings saved. " + note).strip())


@router.get("/assessments/{assessment_id}/logo")
def logo(assessment_id: uuid.UUID, session: DbSession, who: ViewUser) -> Response:
    assessment = _get(session, who, assessment_id)
    if not assessment.logo:
        raise NotFound("This assessment has no logo.")
    return Response(
        assessment.logo,
        media_type=assessment.logo_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"},
    )


@router.get("/assessments/{assessment_id}/preview")
def preview_page(
    request: Request,
    assessment_id: uuid.UUID,
    session: DbSession,
    who: ViewUser,
    seed: int | None = None,
) -> Response:
    principal, _user = who
    assessment = _get(session, who, assessment_id)
    chosen = seed if seed is not None and 0 <= seed <= MAX_SEED else secrets.randbelow(MAX_SEED)
    form = service.preview(session, principal=principal, assessment_id=assessment_id, seed=chosen)
    return render(request, "assessments/preview.html", {"assessment": assessment, "form": form})
