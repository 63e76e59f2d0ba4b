"""Business rules of the assessments domain. Functions take the session and never commit."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import jd, repository
from assay.assessments.assembly import (
    Assembly,
    DrawnForm,
    DrawnItem,
    DrawnSection,
    Exposure,
    ExposurePolicy,
    assemble,
    draw,
)
from assay.assessments.blueprint import (
    ROLE_TEMPLATES,
    Blueprint,
    BlueprintError,
    RoleTemplate,
    SectionKind,
    SkillProfile,
    build_blueprint,
    section_from_dict,
)
from assay.assessments.candidate import form_view
from assay.assessments.index import get_content_index
from assay.assessments.models import Assessment, AssessmentStatus, BlueprintSection, Form
from assay.assessments.schemas import (
    LOGO_TYPES,
    MAX_LOGO_BYTES,
    AssessmentCreate,
    AssessmentUpdate,
    BlueprintPlan,
    FormView,
    IntegritySettings,
)
from assay.errors import Conflict, NotFound, ValidationFailed
from assay.kit.pagination import PageParams

DEFAULT_ACCOMMODATIONS = [25, 50, 100]
MIN_FORMS_FOR_CAP = 20
_LOGO_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


@dataclass(frozen=True)
class Planned:
    """An assessment after (re)planning, with what the recruiter should read about it."""

    assessment: Assessment
    messages: list[str]


def role_templates() -> list[RoleTemplate]:
    return list(ROLE_TEMPLATES.values())


def analyze_job_description(*, principal: Principal, text: str) -> jd.JobProfile:
    """Analyse pasted text; odd input (empty, huge, HTML, foreign) gives messages, not errors."""
    principal.require(Permission.MANAGE_ASSESSMENTS)
    return jd.analyze(text)


def list_assessments(
    session: Session, *, principal: Principal, page: PageParams
) -> Sequence[Assessment]:
    principal.require(Permission.VIEW_ASSESSMENTS)
    return repository.list_assessments(
        session, organization_id=principal.organization_id, page=page
    )


def get_or_raise(session: Session, *, principal: Principal, assessment_id: uuid.UUID) -> Assessment:
    principal.require(Permission.VIEW_ASSESSMENTS)
    assessment = repository.get_assessment(
        session, organization_id=principal.organization_id, assessment_id=assessment_id
    )
    if assessment is None:
        raise NotFound("No such assessment in your organization.")
    return assessment


def get_blueprint(session: Session, *, assessment: Assessment) -> Blueprint | None:
    rows = repository.list_sections(
        session, organization_id=assessment.organization_id, assessment_id=assessment.id
    )
    if not rows:
        return None
    sections = tuple(
        section_from_dict({"kind": r.kind, "minutes": r.minutes, "specs": r.specs}) for r in rows
    )
    return Blueprint(sections, tuple(assessment.languages), assessment.seniority)


def assembly_of(blueprint: Blueprint) -> Assembly:
    return assemble(blueprint, get_content_index())


def create(session: Session, *, principal: Principal, data: AssessmentCreate) -> Planned:
    """A draft from a template, a profile, a job description, or nothing yet."""
    principal.require(Permission.MANAGE_ASSESSMENTS)
    assessment = Assessment(
        organization_id=principal.organization_id,
        title=data.title,
        status=AssessmentStatus.DRAFT,
        seniority=data.seniority or "mid",
        profile={},
        total_minutes=0,
        languages=[],
        intro="",
        integrity=IntegritySettings().model_dump(),
        accommodations=list(DEFAULT_ACCOMMODATIONS),
        custom_accommodation=True,
        exposure_cap=0.5,
    )
    session.add(assessment)
    session.flush()
    messages: list[str] = []
    plan = BlueprintPlan.model_validate(
        data.model_dump(exclude={"title", "job_description"}, exclude_unset=True)
    )
    if data.template_id is None and data.profile is None and data.job_description is not None:
        analysis = jd.analyze(data.job_description)
        assessment.job_description = analysis.text
        assessment.role_title = analysis.title
        messages.extend(analysis.messages)
        weights = {skill.id: skill.weight for skill in analysis.skills}
        assessment.profile = weights
        assessment.seniority = data.seniority or analysis.seniority
        if not SkillProfile(weights, assessment.seniority).active():
            messages.append(
                "No blueprint yet: the description names no skill Assay can measure. "
                "Add skills to the profile, or start from a role template."
            )
            return Planned(assessment, messages)
    elif data.template_id is None and data.profile is None:
        return Planned(assessment, messages)
    elif data.job_description:
        # A profile edited from a pasted description keeps the description beside it.
        assessment.job_description = data.job_description[: jd.MAX_BYTES]
    return Planned(assessment, messages + _plan(session, assessment=assessment, plan=plan))


def plan_blueprint(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID, plan: BlueprintPlan
) -> Planned:
    """Replace the blueprint: from a template, a given profile, or the stored profile."""
    principal.require(Permission.MANAGE_ASSESSMENTS)
    assessment = get_or_raise(session, principal=principal, assessment_id=assessment_id)
    return Planned(assessment, _plan(session, assessment=assessment, plan=plan))


def _plan(session: Session, *, assessment: Assessment, plan: BlueprintPlan) -> list[str]:
    if plan.template_id is not None and plan.profile is not None:
        raise ValidationFailed("Plan from a template or from a profile, not both.")
    template = None
    if plan.template_id is not None:
        template = ROLE_TEMPLATES.get(plan.template_id)
        if template is None:
            known = ", ".join(ROLE_TEMPLATES)
            raise ValidationFailed(f"No role template '{plan.template_id}'; known: {known}.")
        profile = template.profile()
        if plan.seniority is not None:
            profile = SkillProfile(profile.weights, plan.seniority)
    elif plan.profile is not None:
        profile = SkillProfile(
            {s.id: s.weight for s in plan.profile}, plan.seniority or assessment.seniority
        )
    else:
        profile = SkillProfile(dict(assessment.profile), plan.seniority or assessment.seniority)
    total = plan.total_minutes
    languages: Sequence[str] | None = plan.languages
    if template is not None:
        total = total or template.total_minutes
        languages = languages or template.languages
    elif assessment.total_minutes and plan.seniority is None:
        total = total or assessment.total_minutes
    languages = languages or assessment.languages or None
    try:
        blueprint = build_blueprint(
            profile,
            total_minutes=total,
            languages=languages,
            section_minutes=plan.section_minutes,
        )
    except BlueprintError as exc:
        raise ValidationFailed(str(exc)) from exc
    if template is not None:
        assessment.template_id = template.id
        assessment.role_title = template.title
    assessment.profile = dict(profile.weights)
    assessment.seniority = profile.seniority
    _store_blueprint(session, assessment=assessment, blueprint=blueprint)
    assembly = assembly_of(blueprint)
    return list(blueprint.notes) + [s.message for s in assembly.shortfalls]


def _store_blueprint(session: Session, *, assessment: Assessment, blueprint: Blueprint) -> None:
    repository.delete_sections(
        session, organization_id=assessment.organization_id, assessment_id=assessment.id
    )
    for position, section in enumerate(blueprint.sections):
        data = section.to_dict()
        session.add(
            BlueprintSection(
                organization_id=assessment.organization_id,
                assessment_id=assessment.id,
                position=position,
                kind=data["kind"],
                minutes=data["minutes"],
                specs=data["specs"],
            )
        )
    assessment.total_minutes = blueprint.total_minutes
    assessment.languages = list(blueprint.languages)
    session.flush()


def update(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID, changes: AssessmentUpdate
) -> Planned:
    """Change settings. A new total time or language list re-plans the blueprint."""
    principal.require(Permission.MANAGE_ASSESSMENTS)
    assessment = get_or_raise(session, principal=principal, assessment_id=assessment_id)
    _apply_settings(assessment, changes)
    messages: list[str] = []
    if changes.total_minutes is not None or changes.languages is not None:
        if get_blueprint(session, assessment=assessment) is None:
            raise Conflict(
                "Plan a blueprint first; time and languages belong to it.", code="no_blueprint"
            )
        plan = BlueprintPlan(total_minutes=changes.total_minutes, languages=changes.languages)
        if changes.total_minutes is None:
            plan.total_minutes = assessment.total_minutes
        messages = _plan(session, assessment=assessment, plan=plan)
    if changes.status is not None and changes.status is not assessment.status:
        if changes.status is AssessmentStatus.OPEN:
            _check_can_open(session, assessment=assessment)
        assessment.status = changes.status
    session.flush()
    return Planned(assessment, messages)


def _apply_settings(assessment: Assessment, changes: AssessmentUpdate) -> None:
    given = changes.model_fields_set
    for name in (
        "title",
        "deadline",
        "intro",
        "custom_accommodation",
        "exposure_cap",
        "reviewers_per_answer",
        "blind_reviewer_names",
    ):
        if name in given and getattr(changes, name) is not None:
            setattr(assessment, name, getattr(changes, name))
    if "deadline" in given and changes.deadline is None:
        assessment.deadline = None
    if "brand_colour" in given:
        assessment.brand_colour = changes.brand_colour.lower() if changes.brand_colour else None
    if changes.integrity is not None:
        assessment.integrity = changes.integrity.model_dump()
    if changes.accommodations is not None:
        assessment.accommodations = sorted(set(changes.accommodations))
    if "logo_data_url" in given:
        if changes.logo_data_url:
            content_type, data = parse_data_url(changes.logo_data_url)
            set_logo(assessment=assessment, content_type=content_type, data=data)
        else:
            assessment.logo, assessment.logo_type = None, None


def _check_can_open(session: Session, *, assessment: Assessment) -> None:
    blueprint = get_blueprint(session, assessment=assessment)
    if blueprint is None:
        raise Conflict("Plan a blueprint before opening the assessment.", code="no_blueprint")
    shortfalls = assembly_of(blueprint).shortfalls
    if shortfalls:
        raise Conflict(
            "The content library cannot meet this blueprint yet: "
            + " ".join(s.message for s in shortfalls),
            code="blueprint_not_met",
        )


def parse_data_url(value: str) -> tuple[str, bytes]:
    head, _, payload = value.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise ValidationFailed("The logo must be a base64 data: URL (data:image/png;base64,...).")
    try:
        return head[5:-7], base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("The logo's base64 data is not valid.") from exc


def set_logo(*, assessment: Assessment, content_type: str, data: bytes) -> None:
    """Keep a small raster logo in the database; Assay serves it, so no external URL leaks."""
    if content_type not in LOGO_TYPES:
        raise ValidationFailed(f"The logo must be one of {', '.join(LOGO_TYPES)} (no SVG).")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed(f"The logo is {len(data)} bytes; the limit is {MAX_LOGO_BYTES}.")
    if not data.startswith(_LOGO_MAGIC[content_type]):
        raise ValidationFailed(f"The logo's bytes are not a {content_type} image.")
    assessment.logo, assessment.logo_type = data, content_type


def set_logo_for(
    session: Session,
    *,
    principal: Principal,
    assessment_id: uuid.UUID,
    content_type: str,
    data: bytes,
) -> Assessment:
    principal.require(Permission.MANAGE_ASSESSMENTS)
    assessment = get_or_raise(session, principal=principal, assessment_id=assessment_id)
    set_logo(assessment=assessment, content_type=content_type, data=data)
    return assessment


# ---------------------------------------------------------------------------------------------
# Forms


def _policy(assessment: Assessment) -> ExposurePolicy:
    return ExposurePolicy(cap=assessment.exposure_cap, min_forms=MIN_FORMS_FOR_CAP)


def _exposure(
    session: Session, *, assessment: Assessment, assembly: Assembly
) -> dict[str, Exposure]:
    pool = {item_id for slot in assembly.slots for item_id in slot.pool}
    rows = repository.get_exposure(
        session, organization_id=assessment.organization_id, item_ids=pool
    )
    return {item_id: Exposure(row.shown, row.eligible) for item_id, row in rows.items()}


def _require_blueprint(session: Session, *, assessment: Assessment) -> Blueprint:
    blueprint = get_blueprint(session, assessment=assessment)
    if blueprint is None:
        raise Conflict("This assessment has no blueprint yet; plan one first.", code="no_blueprint")
    return blueprint


def preview(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID, seed: int
) -> FormView:
    """A form exactly as a candidate would get it. Records nothing: no form, no exposure."""
    assessment = get_or_raise(session, principal=principal, assessment_id=assessment_id)
    assembly = assembly_of(_require_blueprint(session, assessment=assessment))
    exposure = _exposure(session, assessment=assessment, assembly=assembly)
    drawn = draw(
        assembly, get_content_index(), seed=seed, exposure=exposure, policy=_policy(assessment)
    )
    return form_view(drawn, assembly, get_content_index())


def draw_form(session: Session, *, assessment: Assessment, seed: int) -> Form:
    """Draw and store one candidate's form, and count its items' exposure.

    Delivery calls this once per invitation. Two draws at the same moment may both read the
    same exposure counts; the cap can then be passed by one form, never by a trend.
    """
    assembly = assembly_of(_require_blueprint(session, assessment=assessment))
    exposure = _exposure(session, assessment=assessment, assembly=assembly)
    drawn = draw(
        assembly, get_content_index(), seed=seed, exposure=exposure, policy=_policy(assessment)
    )
    form = Form(
        organization_id=assessment.organization_id,
        assessment_id=assessment.id,
        seed=seed,
        sections=[
            {
                "kind": section.kind.value,
                "minutes": section.minutes,
                "items": [item.__dict__ | {"option_order": _list(item)} for item in section.items],
            }
            for section in drawn.sections
        ],
        over_cap=list(drawn.over_cap),
    )
    session.add(form)
    repository.record_exposure(
        session,
        organization_id=assessment.organization_id,
        shown=drawn.shown,
        eligible=drawn.eligible,
    )
    session.flush()
    return form


def _list(item: DrawnItem) -> list[str] | None:
    return list(item.option_order) if item.option_order is not None else None


def drawn_form_of(form: Form) -> DrawnForm:
    """A stored form back as the drawn form it was (for rendering it to its candidate)."""
    sections = tuple(
        DrawnSection(
            kind=SectionKind(section["kind"]),
            minutes=int(section["minutes"]),
            items=tuple(
                DrawnItem(
                    **{k: v for k, v in item.items() if k != "option_order"},
                    option_order=tuple(item["option_order"]) if item["option_order"] else None,
                )
                for item in section["items"]
            ),
        )
        for section in form.sections
    )
    shown = tuple(dict.fromkeys(i.item_id for s in sections for i in s.items))
    return DrawnForm(form.seed, sections, shown, (), tuple(form.over_cap))
