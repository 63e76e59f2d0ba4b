"""Pydantic I/O of the results API: ranked rows, reports, decisions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, StringConstraints


class SkillScoreOut(BaseModel):
    skill: str
    score: float
    se: float
    items: int
    weight: float


class RankedOut(BaseModel):
    rank: int | None
    candidate_id: uuid.UUID
    attempt_id: uuid.UUID | None
    name: str
    state: str
    overall: float | None
    overall_se: float | None
    band: tuple[float, float] | None  # overall ± 1.96 SE, clipped to 0..100
    method: str | None
    percentile: float | None
    # P(this candidate's true score is above the next one's in the ranking)
    p_above_next: float | None
    skills: list[SkillScoreOut]
    pending_items: int
    decision: str | None
    submitted_at: datetime | None


class ReliabilityOut(BaseModel):
    kind: str
    value: float | None
    sem: float | None
    candidates: int
    explanation: str


class RankingOut(BaseModel):
    items: list[RankedOut]
    next_cursor: str | None
    total: int
    reliability: ReliabilityOut


class ItemScoreOut(BaseModel):
    item_id: str
    item_version: int
    kind: str
    score: float
    status: str
    source: str
    evidence: dict[str, Any]


class NormOut(BaseModel):
    label: str
    percentile: float
    low: float
    high: float
    group_size: int


class DecisionOut(BaseModel):
    id: uuid.UUID
    candidate_id: uuid.UUID
    attempt_id: uuid.UUID | None
    decision: str
    note: str
    decided_by: uuid.UUID | None
    decided_at: datetime


class SectionOut(BaseModel):
    index: int
    kind: str
    minutes: float | None
    seconds: float | None
    items: list[str]


class SignalOut(BaseModel):
    kind: str
    detail: dict[str, Any]
    server_at: datetime


class ReportOut(BaseModel):
    candidate_id: uuid.UUID
    attempt_id: uuid.UUID
    assessment_id: uuid.UUID
    name: str
    state: str
    overall: float | None
    overall_se: float | None
    method: str | None
    theta: float | None
    theta_sd: float | None
    skills: list[SkillScoreOut]
    norms: list[NormOut]
    items: list[ItemScoreOut]
    sections: list[SectionOut]
    signals: list[SignalOut]
    decisions: list[DecisionOut]


class DecisionCreate(BaseModel):
    decision: Literal["advance", "hold", "reject"]
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
