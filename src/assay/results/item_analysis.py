"""Item analysis for content authors: how each item behaved across the organization's candidates.

Per item version: responses, p-value, point-biserial (item-rest correlation), IRT a and b when
the item is calibrated, a distractor table by upper and lower groups, average time, and the
automatic flags of :mod:`assay.scoring.classical` (too easy, too hard, low or negative
discrimination, a distractor nobody picks, a distractor strong candidates pick).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.assessments.models import Form
from assay.content.schemas import ChoiceItem, ContentItem
from assay.delivery.models import Attempt, Response
from assay.errors import NotFound
from assay.results.models import ItemCalibration, ItemScore, ScoreStatus
from assay.scoring import classical
from assay.scoring.responses import Response as ScoredResponse
from assay.scoring.responses import ResponseTable


@dataclass(frozen=True)
class ItemAnalysis:
    """One item version's behaviour and the reasons to look at it again."""

    item_id: str
    version: int
    kind: str
    title: str
    responses: int
    p_value: float
    point_biserial: float  # NaN when undefined (too few responses, or no spread)
    mean_seconds: float | None
    irt_model: str | None = None
    irt_a: float | None = None
    irt_b: tuple[float, ...] = ()  # one b for right/wrong items, thresholds for partial credit
    distractors: classical.DistractorTable | None = None
    flags: tuple[classical.ItemFlag, ...] = ()


@dataclass(frozen=True)
class AnalysisReport:
    assessment_id: uuid.UUID | None
    candidates: int
    items: list[ItemAnalysis] = field(default_factory=list)

    @property
    def flagged(self) -> list[ItemAnalysis]:
        return [item for item in self.items if item.flags]


def _library_item(item_id: str) -> ContentItem | None:
    from assay.delivery.content import library_item  # noqa: PLC0415 - loads the library lazily

    try:
        return library_item(item_id)[0]
    except NotFound:
        return None


def _title(item: ContentItem | None, item_id: str) -> str:
    if item is None:
        return f"{item_id} (retired)"
    if isinstance(item, ChoiceItem):
        first = item.stem.strip().splitlines()[0] if item.stem.strip() else item_id
        return first if len(first) <= 90 else first[:89] + "…"
    return str(getattr(item, "title", item_id))


def _rows(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID | None
) -> Sequence[tuple[ItemScore, Response | None, Attempt, Form]]:
    """Scored answers of finished attempts with the saved answer, the attempt and its form."""
    query = (
        select(ItemScore, Response, Attempt, Form)
        .join(Attempt, Attempt.id == ItemScore.attempt_id)
        .join(Form, Form.id == Attempt.form_id)
        .outerjoin(
            Response,
            (Response.attempt_id == ItemScore.attempt_id) & (Response.item_id == ItemScore.item_id),
        )
        .where(
            ItemScore.organization_id == organization_id,
            ItemScore.status == ScoreStatus.SCORED,
            Attempt.finished_at.is_not(None),
        )
        .order_by(Attempt.started_at, Attempt.id, ItemScore.item_id)
    )
    if assessment_id is not None:
        query = query.where(Form.assessment_id == assessment_id)
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query).all()]


def _seconds(
    score: ItemScore, response: Response | None, attempt: Attempt, form: Form
) -> float | None:
    """Time on the item: as recorded, else its section's time when it was alone there
    (delivery times sections, not items, so a shared section gives no per-item time)."""
    if score.seconds is not None:
        return score.seconds
    if response is None or response.section_index >= len(form.sections):
        return None
    section = form.sections[response.section_index]
    if len({item["item_id"] for item in section.get("items", [])}) != 1:
        return None
    if response.section_index >= len(attempt.section_log):
        return None
    entry = attempt.section_log[response.section_index]
    if entry.get("closed_at") is None:
        return None
    spent = datetime.fromisoformat(entry["closed_at"]) - datetime.fromisoformat(entry["started_at"])
    return max(spent.total_seconds(), 0.0)


def _choice(item: ContentItem | None, response: Response | None) -> str | None:
    if not isinstance(item, ChoiceItem) or response is None:
        return None
    selected = (response.answer or {}).get("selected", [])
    if not isinstance(selected, list):
        return None
    return ",".join(sorted(str(option) for option in selected))


def _key(item_id: str, version: int) -> str:
    return f"{item_id}@{version}"


def analyse(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID | None = None
) -> AnalysisReport:
    """Analyse every item the organization's candidates answered (or one assessment's)."""
    principal.require(Permission.MANAGE_CONTENT)
    org = principal.organization_id
    if assessment_id is not None and (
        assessments_repository.get_assessment(
            session, organization_id=org, assessment_id=assessment_id
        )
        is None
    ):
        raise NotFound("No such assessment in your organization.")
    rows = _rows(session, organization_id=org, assessment_id=assessment_id)
    if not rows:
        return AnalysisReport(assessment_id, 0)
    library: dict[str, ContentItem | None] = {}
    versions: dict[str, tuple[str, int, str]] = {}
    scored: list[ScoredResponse] = []
    for score, response, attempt, form in rows:
        if score.item_id not in library:
            library[score.item_id] = _library_item(score.item_id)
        item = library[score.item_id]
        key = _key(score.item_id, score.item_version)
        versions[key] = (score.item_id, score.item_version, score.kind)
        scored.append(
            ScoredResponse(
                candidate=str(score.attempt_id),
                item=key,
                score=score.score,
                choice=_choice(item, response),
                seconds=_seconds(score, response, attempt, form),
            )
        )
    table = ResponseTable.from_responses(scored)
    declared = dict.fromkeys(table.items, 1.0)  # item scores are shares of the item's credit
    keys: dict[str, list[str]] = {}
    options: dict[str, list[str]] = {}
    for key, (item_id, _version, _kind) in versions.items():
        item = library[item_id]
        if isinstance(item, ChoiceItem):
            keys[key] = item.keys
            options[key] = [option.id for option in item.options]
    statistics = classical.item_statistics(table, declared_max=declared)
    distractors = {
        t.item: t
        for t in classical.distractor_tables(
            table, keys=keys, options=options, declared_max=declared
        )
    }
    flags: dict[str, list[classical.ItemFlag]] = {}
    for flag in classical.flag_items(statistics, list(distractors.values())):
        flags.setdefault(flag.item, []).append(flag)
    calibrations = _calibrations(session, org, [item_id for item_id, _v, _k in versions.values()])
    items = []
    for stats in statistics:
        item_id, version, kind = versions[stats.id]
        calibration = calibrations.get((item_id, version))
        params: dict[str, Any] = calibration.params if calibration else {}
        items.append(
            ItemAnalysis(
                item_id=item_id,
                version=version,
                kind=kind,
                title=_title(library[item_id], item_id),
                responses=stats.responses,
                p_value=stats.p_value,
                point_biserial=stats.discrimination,
                mean_seconds=stats.mean_seconds,
                irt_model=calibration.model if calibration else None,
                irt_a=float(params["a"]) if "a" in params else None,
                irt_b=_difficulties(params),
                distractors=distractors.get(stats.id),
                flags=tuple(flags.get(stats.id, [])),
            )
        )
    items.sort(key=lambda item: (not item.flags, item.item_id, item.version))
    return AnalysisReport(assessment_id, len(table.candidates), items)


def _difficulties(params: dict[str, Any]) -> tuple[float, ...]:
    if "thresholds" in params:
        return tuple(float(b) for b in params["thresholds"])
    if "b" in params:
        return (float(params["b"]),)
    return ()


def _calibrations(
    session: Session, organization_id: uuid.UUID, item_ids: list[str]
) -> dict[tuple[str, int], ItemCalibration]:
    rows = session.scalars(
        select(ItemCalibration).where(
            ItemCalibration.organization_id == organization_id,
            ItemCalibration.item_id.in_(sorted(set(item_ids))),
        )
    ).all()
    return {(row.item_id, row.item_version): row for row in rows}


def finite(value: float | None) -> float | None:
    """Undefined statistics (NaN) are shown as absent."""
    return None if value is None or math.isnan(value) else value
