"""Pydantic input and output shapes of the assessments domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from assay.assessments.assembly import TIME_TOLERANCE
from assay.assessments.blueprint import SectionKind
from assay.assessments.models import (
    MAX_REVIEWERS_PER_ANSWER,
    MIN_REVIEWERS_PER_ANSWER,
    AssessmentStatus,
)
from assay.content.skills import SKILL_IDS

# Pasted text may be far over the analysis limit (100 kB): it is truncated with a message,
# not refused, so the recruiter still gets a profile. The request body limit still applies.
MAX_PASTE_CHARS = 1_000_000
ACCOMMODATION_CHOICES = (25, 50, 100)
MAX_LOGO_BYTES = 100_000
LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _known_skill(value: str) -> str:
    if value not in SKILL_IDS:
        raise ValueError(f"unknown skill id '{value}'")
    return value


SkillId = Annotated[str, AfterValidator(_known_skill)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Seniority = Literal["junior", "mid", "senior", "lead", "principal"]
Language = Literal["python", "node", "java"]
Minutes = Annotated[int, Field(ge=10, le=240)]
PastedText = Annotated[str, Field(max_length=MAX_PASTE_CHARS)]
ReviewersPerAnswer = Annotated[
    int, Field(ge=MIN_REVIEWERS_PER_ANSWER, le=MAX_REVIEWERS_PER_ANSWER, strict=True)
]


class Strict(BaseModel):
    """Input models reject unknown fields, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class JobDescriptionIn(Strict):
    text: PastedText


class EvidenceOut(BaseModel):
    start: int = Field(description="Offset into `text` where the phrase starts.")
    end: int
    text: str
    section: str


class SkillFound(BaseModel):
    id: str
    title: str
    weight: float
    nice_to_have_only: bool
    evidence: list[EvidenceOut]


class JobAnalysisOut(BaseModel):
    title: str | None
    seniority: Seniority
    seniority_source: str
    skills: list[SkillFound]
    messages: list[str] = Field(description="What was odd about the input, for a person.")
    language: str
    text: str = Field(description="The analysed text; evidence offsets index it.")
    text_is_original: bool


class SkillWeight(Strict):
    id: SkillId
    weight: Annotated[float, Field(ge=0, le=1)]


class BlueprintPlan(Strict):
    """Plan (or re-plan) the blueprint: from a template, from a profile, or from the stored one."""

    template_id: str | None = None
    profile: Annotated[list[SkillWeight], Field(max_length=22)] | None = None
    seniority: Seniority | None = None
    total_minutes: Minutes | None = None
    languages: Annotated[list[Language], Field(max_length=3)] | None = None
    section_minutes: dict[SectionKind, Annotated[int, Field(ge=5, le=240)]] | None = None


class AssessmentCreate(BlueprintPlan):
    title: Title
    job_description: PastedText | None = None


class IntegritySettings(Strict):
    focus_loss: bool = True
    paste: bool = True
    fullscreen: bool = False


class AssessmentUpdate(Strict):
    title: Title | None = None
    status: AssessmentStatus | None = None
    deadline: datetime | None = None
    total_minutes: Minutes | None = None
    languages: Annotated[list[Language], Field(min_length=1, max_length=3)] | None = None
    intro: Annotated[str, Field(max_length=5000)] | None = None
    brand_colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    integrity: IntegritySettings | None = None
    accommodations: Annotated[list[Literal[25, 50, 100]], Field(max_length=3)] | None = None
    custom_accommodation: bool | None = None
    exposure_cap: Annotated[float, Field(ge=0.05, le=1.0)] | None = None
    reviewers_per_answer: ReviewersPerAnswer | None = Field(
        default=None, description="Independent reviews each written answer needs (2..5)."
    )
    blind_reviewer_names: bool | None = Field(
        default=None, description="Reviewers see a stable handle instead of the candidate's name."
    )
    logo_data_url: Annotated[str, Field(max_length=MAX_LOGO_BYTES * 2)] | None = Field(
        default=None,
        description="A data: URL (PNG, JPEG, GIF or WebP, at most 100 kB); empty removes it.",
    )


class SpecOut(BaseModel):
    skill: str
    difficulties: list[str]
    count: int


class SectionOut(BaseModel):
    kind: SectionKind
    title: str
    minutes: int
    item_count: int
    specs: list[SpecOut]


class ShortfallOut(BaseModel):
    section: SectionKind
    skill: str
    difficulties: list[str]
    language: str | None
    needed: int
    available: int
    message: str


class BlueprintOut(BaseModel):
    total_minutes: int
    languages: list[str]
    sections: list[SectionOut]
    shortfalls: list[ShortfallOut] = Field(
        description=(
            "Slots the content library cannot fill. Work samples must fit their section: "
            f"an author's estimate at most {TIME_TOLERANCE}x the section's minutes."
        )
    )
    complete: bool
    notes: list[str]


class AssessmentSummary(Out):
    id: uuid.UUID
    title: str
    role_title: str | None
    status: AssessmentStatus
    template_id: str | None
    seniority: str
    profile: list[SkillWeight]
    total_minutes: int
    languages: list[str]
    deadline: datetime | None
    intro: str
    brand_colour: str | None
    logo_url: str | None
    integrity: IntegritySettings
    accommodations: list[int]
    custom_accommodation: bool
    exposure_cap: float
    reviewers_per_answer: int
    blind_reviewer_names: bool
    created_at: datetime
    updated_at: datetime


class AssessmentOut(AssessmentSummary):
    blueprint: BlueprintOut | None
    messages: list[str] = Field(
        default_factory=list,
        description="What the recruiter should read: analysis notes and library shortfalls.",
    )


class DutyOut(BaseModel):
    text: str
    skills: list[str]


class RoleTemplateOut(BaseModel):
    id: str
    title: str
    seniority: str
    summary: str
    total_minutes: int
    languages: list[str]
    duties: list[DutyOut]
    profile: list[SkillWeight]


# --- the candidate's view of a form: everything needed to answer, no key of any kind ---------


class OptionView(BaseModel):
    id: str
    text: str


class ChoiceView(BaseModel):
    type: Literal["choice"] = "choice"
    ref: str
    mode: Literal["single", "multiple"]
    stem: str
    options: list[OptionView]


class SourceFile(BaseModel):
    path: str
    content: str


class CodingVariant(BaseModel):
    ref: str
    title: str
    statement: str
    starter: list[SourceFile]


class CodingView(BaseModel):
    type: Literal["coding"] = "coding"
    variants: dict[str, CodingVariant] = Field(description="Per allowed language.")


class SqlView(BaseModel):
    type: Literal["sql"] = "sql"
    ref: str
    title: str
    statement: str
    dialect: str
    schema_sql: str
    starter: str


class DiffLine(BaseModel):
    old: int | None
    new: int | None
    kind: Literal["context", "add", "remove", "hunk"]
    text: str


class DiffFileView(BaseModel):
    path: str
    lines: list[DiffLine]


class CodeReviewView(BaseModel):
    type: Literal["code_review"] = "code_review"
    ref: str
    title: str
    context: str
    language: str
    files: list[DiffFileView]


class FreeTextView(BaseModel):
    type: Literal["free_text"] = "free_text"
    ref: str
    title: str
    prompt: str
    expected_words: list[int]


ItemView = Annotated[
    ChoiceView | CodingView | SqlView | CodeReviewView | FreeTextView, Field(discriminator="type")
]


class FormSectionView(BaseModel):
    kind: SectionKind
    title: str
    minutes: int
    items: list[ItemView]


class FormView(BaseModel):
    seed: int
    total_minutes: int
    languages: list[str]
    sections: list[FormSectionView]
    shortfalls: list[str] = Field(description="Slots left empty because the library is short.")
