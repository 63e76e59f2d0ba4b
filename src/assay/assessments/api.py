"""JSON endpoints of the assessments domain: parse, call the service, shape the response."""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.assessments import service
from assay.assessments.assembly import Assembly
from assay.assessments.blueprint import Blueprint, RoleTemplate
from assay.assessments.jd import JobProfile
from assay.assessments.models import Assessment
from assay.assessments.schemas import (
    AssessmentCreate,
    AssessmentOut,
    AssessmentSummary,
    AssessmentUpdate,
    BlueprintOut,
    BlueprintPlan,
    DutyOut,
    EvidenceOut,
    FormView,
    JobAnalysisOut,
    JobDescriptionIn,
    RoleTemplateOut,
    SectionOut,
    ShortfallOut,
    SkillFound,
    SkillWeight,
    SpecOut,
)
from assay.content.skills import get_skill
from assay.web.deps import ApiPrincipal, DbSession, Page
from assay.web.schemas import PageOut, page_of

router = APIRouter(tags=["assessments"])
MAX_SEED = 2**31 - 1


def analysis_out(profile: JobProfile) -> JobAnalysisOut:
    return JobAnalysisOut.model_validate(
        {
            **profile.to_dict(),
            "skills": [
                SkillFound(
                    id=s.id,
                    title=get_skill(s.id).title,
                    weight=s.weight,
                    nice_to_have_only=s.nice_to_have_only,
                    evidence=[
                        EvidenceOut(start=e.start, end=e.end, text=e.text, section=e.section)
                        for e in s.evidence
                    ],
                )
                for s in profile.skills
            ],
        }
    )


def blueprint_out(blueprint: Blueprint, assembly: Assembly) -> BlueprintOut:
    return BlueprintOut(
        total_minutes=blueprint.total_minutes,
        languages=list(blueprint.languages),
        sections=[
            SectionOut(
                kind=s.kind,
                title=s.title,
                minutes=s.minutes,
                item_count=s.item_count,
                specs=[SpecOut(**spec.to_dict()) for spec in s.specs],
            )
            for s in blueprint.sections
        ],
        shortfalls=[
            ShortfallOut(
                section=f.section,
                skill=f.skill,
                difficulties=list(f.difficulties),
                language=f.language,
                needed=f.needed,
                available=f.available,
                message=f.message,
            )
            for f in assembly.shortfalls
        ],
        complete=assembly.complete,
        notes=list(blueprint.notes),
    )


def _summary_fields(assessment: Assessment) -> dict[str, object]:
    return {
        "id": assessment.id,
        "title": assessment.title,
        "role_title": assessment.role_title,
        "status": assessment.status,
        "template_id": assessment.template_id,
        "seniority": assessment.seniority,
        "profile": [
            SkillWeight(id=skill, weight=weight)
            for skill, weight in sorted(assessment.profile.items(), key=lambda kv: -kv[1])
        ],
        "total_minutes": assessment.total_minutes,
        "languages": assessment.languages,
        "deadline": assessment.deadline,
        "intro": assessment.intro,
        "brand_colour": assessment.brand_colour,
        "logo_url": f"/assessments/{assessment.id}/logo" if assessment.logo else None,
        "integrity": assessment.integrity,
        "accommodations": assessment.accommodations,
        "custom_accommodation": assessment.custom_accommodation,
        "exposure_cap": assessment.exposure_cap,
        "reviewers_per_answer": assessment.reviewers_per_answer,
        "blind_reviewer_names": assessment.blind_reviewer_names,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
    }


def summary_out(assessment: Assessment) -> AssessmentSummary:
    return AssessmentSummary.model_validate(_summary_fields(assessment))


def assessment_out(
    session: Session, assessment: Assessment, messages: list[str] | None = None
) -> AssessmentOut:
    blueprint = service.get_blueprint(session, assessment=assessment)
    shaped = (
        blueprint_out(blueprint, service.assembly_of(blueprint)) if blueprint is not None else None
    )
    return AssessmentOut.model_validate(
        {**_summary_fields(assessment), "blueprint": shaped, "messages": messages or []}
    )


def template_out(template: RoleTemplate) -> RoleTemplateOut:
    return RoleTemplateOut(
        id=template.id,
        title=template.title,
        seniority=template.seniority,
        summary=template.summary,
        total_minutes=template.total_minutes,
        languages=list(template.languages),
        duties=[DutyOut(text=d.text, skills=list(d.skills)) for d in template.duties],
        profile=[
            SkillWeight(id=k, weight=v)
            for k, v in sorted(template.profile().weights.items(), key=lambda kv: -kv[1])
        ],
    )


@router.post("/jd/analyze", response_model=JobAnalysisOut)
def analyze_job_description(body: JobDescriptionIn, principal: ApiPrincipal) -> JobAnalysisOut:
    """Find the skills a job description asks for, with weights, evidence and a seniority.

    Odd input is answered, not refused: empty text, text over 100 kB (truncated), HTML (tags
    stripped; evidence offsets index the returned `text`), other languages, or no technical
    content give an empty or partial profile and say why in `messages`.
    """
    return analysis_out(service.analyze_job_description(principal=principal, text=body.text))


@router.get("/role-templates", response_model=PageOut[RoleTemplateOut])
def list_role_templates(principal: ApiPrincipal) -> PageOut[RoleTemplateOut]:
    """Ready-made roles to start an assessment from (one page: the list is short)."""
    principal.require(Permission.VIEW_ASSESSMENTS)
    return PageOut[RoleTemplateOut](
        items=[template_out(t) for t in service.role_templates()], next_cursor=None
    )


@router.get("/assessments", response_model=PageOut[AssessmentSummary])
def list_assessments(
    principal: ApiPrincipal, session: DbSession, page: Page
) -> PageOut[AssessmentSummary]:
    """Assessments, newest first (without blueprints; get one assessment for its blueprint)."""
    rows = service.list_assessments(session, principal=principal, page=page)
    return page_of(rows, page, summary_out)


@router.post("/assessments", status_code=status.HTTP_201_CREATED, response_model=AssessmentOut)
def create_assessment(
    body: AssessmentCreate, principal: ApiPrincipal, session: DbSession
) -> AssessmentOut:
    """Create a draft from a role template (`template_id`), a skill `profile`, or a pasted
    `job_description` (analysed, then planned); with none of them, an empty draft."""
    planned = service.create(session, principal=principal, data=body)
    return assessment_out(session, planned.assessment, planned.messages)


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
def get_assessment(
    assessment_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> AssessmentOut:
    assessment = service.get_or_raise(session, principal=principal, assessment_id=assessment_id)
    return assessment_out(session, assessment)


@router.patch("/assessments/{assessment_id}", response_model=AssessmentOut)
def update_assessment(
    assessment_id: uuid.UUID, body: AssessmentUpdate, principal: ApiPrincipal, session: DbSession
) -> AssessmentOut:
    """Change settings. `total_minutes` or `languages` re-plan the blueprint; opening an
    assessment (`status: open`) needs a blueprint the library meets (409 otherwise)."""
    planned = service.update(
        session, principal=principal, assessment_id=assessment_id, changes=body
    )
    return assessment_out(session, planned.assessment, planned.messages)


@router.post("/assessments/{assessment_id}/blueprint", response_model=AssessmentOut)
def plan_blueprint(
    assessment_id: uuid.UUID, body: BlueprintPlan, principal: ApiPrincipal, session: DbSession
) -> AssessmentOut:
    """Plan the blueprint from a role template, from a skill profile, or (with neither) from
    the stored profile; `messages` list what the library lacks to meet it."""
    planned = service.plan_blueprint(
        session, principal=principal, assessment_id=assessment_id, plan=body
    )
    return assessment_out(session, planned.assessment, planned.messages)


@router.get("/assessments/{assessment_id}/preview", response_model=FormView)
def preview_assessment(
    assessment_id: uuid.UUID,
    principal: ApiPrincipal,
    session: DbSession,
    seed: Annotated[
        int | None, Query(ge=0, le=MAX_SEED, description="Draw this form again.")
    ] = None,
) -> FormView:
    """A form drawn exactly as a candidate would get it: no keys, rationales, rubrics or hidden
    tests. Nothing is recorded (no form, no exposure)."""
    chosen = seed if seed is not None else secrets.randbelow(MAX_SEED)
    return service.preview(session, principal=principal, assessment_id=assessment_id, seed=chosen)
