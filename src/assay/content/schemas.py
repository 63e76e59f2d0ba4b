"""Pydantic models of the content formats: choice items, code review tasks, free-text tasks.

These models check the shape of one file (types, ranges, required fields). Rules that span
fields or files (one key for single mode, sub-skill roll-up, diff line ranges, id uniqueness)
live in ``assay.content.check`` so that each can report the exact field it is about.
Coding and SQL packages belong to the grading engine (``assay.grading.packages``); the light
models here only read the metadata that the library's statistics need.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from assay.content.skills import SKILL_IDS, parent_skill

ITEM_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

ContentType = Literal["choice", "coding", "sql", "code_review", "free_text"]
CONTENT_TYPES: tuple[ContentType, ...] = ("choice", "coding", "sql", "code_review", "free_text")
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    # Control characters are invisible in review and cannot be carried by XML (QTI export).
    if match := _CONTROL.search(value):
        raise ValueError(f"contains the control character U+{ord(match.group()):04X}")
    return value


def _known_skill(value: str) -> str:
    if value not in SKILL_IDS:
        raise ValueError(f'unknown skill id "{value}" (see assay.content.skills)')
    return value


def _well_formed_subskill(value: str) -> str:
    if parent_skill(value) is None:
        raise ValueError(
            f'"{value}" is not "<skill-id>.<name>" with a known skill id and a kebab-case name'
        )
    return value


Text = Annotated[str, Field(strict=True), AfterValidator(_not_blank)]
ItemId = Annotated[str, Field(strict=True, max_length=80, pattern=ITEM_ID_PATTERN)]
SkillId = Annotated[str, Field(strict=True), AfterValidator(_known_skill)]
SubskillId = Annotated[str, Field(strict=True), AfterValidator(_well_formed_subskill)]
Version = Annotated[int, Field(strict=True, ge=1)]
DifficultyPrior = Annotated[float, Field(strict=True, ge=-3.0, le=3.0)]
Minutes = Annotated[int, Field(strict=True, ge=1, le=240)]
LineNumber = Annotated[int, Field(strict=True, ge=1)]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo such as ``rationnale`` must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemCommon(_Strict):
    """Fields every item and task carries."""

    id: ItemId
    version: Version
    skills: Annotated[list[SkillId], Field(min_length=1)]
    subskills: list[SubskillId] = Field(default_factory=list)
    difficulty: Difficulty
    difficulty_prior: DifficultyPrior

    @property
    def primary_skill(self) -> str:
        return self.skills[0]


class ChoiceOption(_Strict):
    """One option of a choice item; every option explains itself in ``rationale``."""

    id: Annotated[str, Field(strict=True, pattern=r"^[a-z]$")]
    text: Text
    correct: Annotated[bool, Field(strict=True)]
    rationale: Text


class ChoiceItem(ItemCommon):
    """A single- or multiple-response knowledge item: content/choice/<primary-skill>/<id>.yaml."""

    type: Literal["choice"]
    mode: Literal["single", "multiple"]
    expected_seconds: Annotated[int, Field(strict=True, ge=20, le=300)]
    stem: Text
    options: Annotated[list[ChoiceOption], Field(min_length=3, max_length=6)]

    @property
    def keys(self) -> list[str]:
        """Ids of the correct options."""
        return [option.id for option in self.options if option.correct]


class Defect(_Strict):
    """A defect planted in a code review change, located on the NEW side of the diff."""

    id: ItemId
    file: Text
    lines: Annotated[list[LineNumber], Field(min_length=2, max_length=2)]
    category: Literal["bug", "security", "performance", "design", "test_gap"]
    severity: Literal["low", "medium", "high", "critical"]
    description: Text


class CodeReviewTask(ItemCommon):
    """A pull request to review: content/code_review/<id>/task.yaml beside change.diff."""

    type: Literal["code_review"]
    title: Text
    expected_minutes: Minutes
    language: Literal["python", "node", "java", "sql", "docker", "yaml"]
    context: Text
    line_tolerance: Annotated[int, Field(strict=True, ge=0, le=10)] = 2
    defects: Annotated[list[Defect], Field(min_length=5, max_length=10)]


class RubricLevel(_Strict):
    """One anchored level of a rubric criterion."""

    score: Annotated[int, Field(strict=True, ge=0)]
    label: Text
    descriptor: Text


class RubricCriterion(_Strict):
    """One criterion a reviewer scores on its anchored levels."""

    id: ItemId
    title: Text
    weight: Annotated[float, Field(strict=True, gt=0, le=10)]
    levels: Annotated[list[RubricLevel], Field(min_length=3, max_length=5)]


class FreeTextTask(ItemCommon):
    """A written answer scored by reviewers with a rubric: content/free_text/<id>.yaml."""

    type: Literal["free_text"]
    kind: Literal[
        "system_design",
        "incident_postmortem",
        "mentoring",
        "api_versioning",
        "privacy_request",
        "other",
    ]
    title: Text
    expected_minutes: Minutes
    expected_words: Annotated[
        list[Annotated[int, Field(strict=True, ge=1)]], Field(min_length=2, max_length=2)
    ]
    prompt: Text
    rubric: Annotated[list[RubricCriterion], Field(min_length=3, max_length=7)]


class _PackageMeta(ItemCommon):
    """Library-level metadata of a grading-engine package; the engine validates the rest."""

    # The grading engine owns the full schema (docs/task-packages.md); tolerate its fields here.
    model_config = ConfigDict(extra="allow", frozen=True)

    title: Text
    expected_minutes: Minutes


class CodingTaskMeta(_PackageMeta):
    """What the library needs to know of content/coding/<id>/task.yaml."""

    type: Literal["coding"]
    languages: Annotated[list[Text], Field(min_length=1)]


class SqlTaskMeta(_PackageMeta):
    """What the library needs to know of content/sql/<id>/task.yaml."""

    type: Literal["sql"]
    dialect: Literal["sqlite", "postgresql"]


ContentItem = ChoiceItem | CodeReviewTask | FreeTextTask | CodingTaskMeta | SqlTaskMeta

MODEL_BY_TYPE: dict[ContentType, type[ItemCommon]] = {
    "choice": ChoiceItem,
    "code_review": CodeReviewTask,
    "free_text": FreeTextTask,
    "coding": CodingTaskMeta,
    "sql": SqlTaskMeta,
}
