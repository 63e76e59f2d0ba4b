"""Pydantic input and output shapes of integrity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeakedSolutionCreate(Strict):
    language: Annotated[str, StringConstraints(max_length=16)]
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    source_url: Annotated[str, StringConstraints(max_length=500)] | None = None
    source: Annotated[str, Field(max_length=256 * 1024, description="The leaked code itself.")]


class LeakedSolutionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    task_id: str
    language: str
    label: str
    source_url: str | None
    created_at: datetime


class FragmentOut(BaseModel):
    a_lines: list[int]
    b_lines: list[int] | None = Field(
        description="None for an anonymous match: the other side's lines are never shared."
    )
    tokens: int


class PairOut(BaseModel):
    """A pair above the task's threshold: evidence for a person, never a verdict."""

    id: uuid.UUID
    task_id: str
    language: str
    kind: str = Field(description="submission | leaked | anonymous (another organization)")
    submission_a_id: uuid.UUID
    attempt_a_id: uuid.UUID | None
    submission_b_id: uuid.UUID | None
    attempt_b_id: uuid.UUID | None
    leaked_solution_id: uuid.UUID | None
    score: float
    threshold: float
    shared_fingerprints: int
    longest_fragment_tokens: int
    anonymous_matches: int | None
    fragments: list[FragmentOut]
    computed_at: datetime


class CopyingOut(BaseModel):
    attempt_a_id: uuid.UUID
    attempt_b_id: uuid.UUID
    identical_wrong: int
    both_wrong: int
    expected_identical_wrong: float
    p_value: float


class SpeedOut(BaseModel):
    attempt_id: uuid.UUID
    item_id: str
    seconds: float
    threshold_seconds: float
    correct: bool | None


class AssessmentIntegrityOut(BaseModel):
    similarity_pairs: list[PairOut]
    answer_copying: list[CopyingOut]
    rushed_answers: list[SpeedOut]


class RangeOut(BaseModel):
    path: str
    from_line: int
    to_line: int


class SideOut(BaseModel):
    title: str
    attempt_id: uuid.UUID | None
    files: dict[str, str] = Field(description="Empty for an anonymous match.")
    ranges: list[RangeOut]


class PairDetailOut(BaseModel):
    pair: PairOut
    a: SideOut
    b: SideOut
    longest: dict[str, Any] | None


class SignalOut(BaseModel):
    kind: str
    title: str
    evidence: str
    at: datetime | None
    detail: dict[str, Any]
    pair_id: uuid.UUID | None
