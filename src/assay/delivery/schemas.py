"""Pydantic input and output shapes of the delivery domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from assay.accounts.schemas import normalize_email

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(normalize_email)]
ExtraTime = Annotated[int, Field(ge=0, le=200, description="Accommodation: extra time in percent.")]
ItemId = Annotated[str, StringConstraints(min_length=1, max_length=120)]
IdempotencyKey = Annotated[
    str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


class Strict(BaseModel):
    """Input models reject unknown fields, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CandidateCreate(Strict):
    name: Name
    email: Email
    extra_time_percent: ExtraTime = 0


class CandidateImport(Strict):
    csv: Annotated[str, Field(max_length=200_000, description="name,email[,extra_time_percent]")]
    dry_run: bool = Field(default=True, description="Preview only; send nothing.")


class CandidateExtend(Strict):
    expires_at: datetime | None = Field(default=None, description="A new deadline for the link.")
    add_minutes: Annotated[int, Field(ge=0, le=600)] = 0


class CandidateOut(BaseModel):
    id: uuid.UUID
    assessment_id: uuid.UUID
    name: str | None
    email: str | None
    extra_time_percent: int
    state: str
    invited_at: datetime
    expires_at: datetime
    opened_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    second_browser: bool
    signals: int


class CandidateInvited(CandidateOut):
    link: str = Field(description="The candidate's personal link. Shown only in this response.")


class ImportRowOut(BaseModel):
    line: int
    name: str
    email: str
    extra_time_percent: int
    errors: list[str]


class ImportOut(BaseModel):
    dry_run: bool
    rows: list[ImportRowOut]
    valid: int
    invalid: int
    invited: int


class SignalOut(Out):
    kind: str
    detail: dict[str, Any]
    server_at: datetime
    client_at: datetime | None
    ip: str | None
    user_agent: str | None


# --- the candidate's own client (under /take/{token}/api) -----------------------------------


class AnswerSave(Strict):
    item_id: ItemId
    answer: dict[str, Any]
    sequence: Annotated[int, Field(ge=0, le=2**31 - 1)]
    key: IdempotencyKey


class SaveOut(BaseModel):
    applied: bool
    replayed: bool
    sequence: int
    remaining_seconds: int
    section_index: int


class SignalIn(Strict):
    kind: Annotated[str, StringConstraints(max_length=32)]
    detail: dict[str, int | str] = Field(default_factory=dict, max_length=5)
    client_at: datetime | None = None


class SignalRecorded(BaseModel):
    recorded: bool


class SampleRun(Strict):
    language: Annotated[str, StringConstraints(max_length=16)]
    files: dict[str, str]


class PositionOut(BaseModel):
    section_index: int
    section_count: int
    remaining_seconds: int
    finished: bool
