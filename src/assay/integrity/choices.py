"""Choice-answer signals of delivered attempts: copied wrong answers and rushed answers.

The statistics live in assay.integrity.answers; this module turns stored responses and save
receipts into their inputs. How long a candidate spent on an item is not measured directly:
it is estimated as the time from the attempt's previous saved answer (or the start of the
item's section) to the first save of this item, which is what the server can vouch for.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from assay.content.schemas import ChoiceItem
from assay.delivery.models import Attempt, Response
from assay.errors import NotFound
from assay.integrity import repository
from assay.integrity.answers import Answer, TimedResponse, answer_copying, too_fast


@dataclass(frozen=True)
class CopyingFlag:
    attempt_a: uuid.UUID
    attempt_b: uuid.UUID
    identical_wrong: int
    both_wrong: int
    expected_identical_wrong: float
    p_value: float


@dataclass(frozen=True)
class SpeedFlag:
    attempt_id: uuid.UUID
    item_id: str
    seconds: float
    threshold_seconds: float
    correct: bool | None


def _choice_item(item_id: str) -> ChoiceItem | None:
    from assay.delivery.content import library_item  # noqa: PLC0415 - loads the library lazily

    try:
        item = library_item(item_id)[0]
    except NotFound:
        return None
    return item if isinstance(item, ChoiceItem) else None


def _answer_of(item: ChoiceItem, response: Response) -> Answer:
    selected = response.answer.get("selected")
    if not isinstance(selected, list) or not selected:
        return None
    chosen = frozenset(str(s) for s in selected)
    if item.mode == "single" and len(chosen) == 1:
        return next(iter(chosen))
    return chosen


def _key_of(item: ChoiceItem) -> Answer:
    keys = item.keys
    return keys[0] if item.mode == "single" and len(keys) == 1 else frozenset(keys)


def copying_flags(responses: Sequence[Response]) -> list[CopyingFlag]:
    """Pairs of attempts whose identical wrong choice answers survive the Bonferroni test."""
    answers: dict[str, dict[str, Answer]] = {}
    key: dict[str, Answer] = {}
    distractors: dict[str, int] = {}
    for response in responses:
        item = _choice_item(response.item_id)
        if item is None:
            continue
        key[item.id] = _key_of(item)
        if item.mode == "single":
            distractors[item.id] = len(item.options) - len(item.keys)
        answers.setdefault(str(response.attempt_id), {})[item.id] = _answer_of(item, response)
    if len(answers) < 2 or not key:
        return []
    try:
        pairs = answer_copying(answers, key, distractors=distractors)
    except ValueError:
        # An answer naming an option the item no longer has (an edited item): count it as seen.
        pairs = answer_copying(answers, key)
    return [
        CopyingFlag(
            attempt_a=uuid.UUID(pair.a),
            attempt_b=uuid.UUID(pair.b),
            identical_wrong=pair.identical_wrong,
            both_wrong=pair.both_wrong,
            expected_identical_wrong=pair.expected_identical_wrong,
            p_value=pair.p_value,
        )
        for pair in pairs
        if pair.flagged
    ]


def speed_flags(
    session: Session, *, attempt: Attempt, responses: Sequence[Response]
) -> list[SpeedFlag]:
    """The attempt's choice answers first saved sooner than the item can be read."""
    own = {r.item_id: r for r in responses if r.attempt_id == attempt.id}
    receipts = repository.applied_receipts_of(
        session, organization_id=attempt.organization_id, attempt_id=attempt.id
    )
    starts = _section_starts(attempt)
    previous: datetime | None = None
    seen: set[str] = set()
    timed: list[TimedResponse] = []
    for receipt in receipts:
        response = own.get(receipt.item_id)
        if receipt.item_id in seen or response is None:
            previous = receipt.created_at
            continue
        seen.add(receipt.item_id)
        section_start = (
            starts[response.section_index] if response.section_index < len(starts) else None
        )
        since = max((t for t in (previous, section_start) if t is not None), default=None)
        previous = receipt.created_at
        item = _choice_item(receipt.item_id)
        if item is None or since is None:
            continue
        answer = _answer_of(item, response)
        timed.append(
            TimedResponse(
                item_id=item.id,
                seconds=max((receipt.created_at - since).total_seconds(), 0.0),
                expected_seconds=float(item.expected_seconds),
                words=_words(item),
                correct=None if answer is None else answer == _key_of(item),
            )
        )
    return [
        SpeedFlag(
            attempt_id=attempt.id,
            item_id=rushed.item_id,
            seconds=rushed.seconds,
            threshold_seconds=rushed.threshold_seconds,
            correct=rushed.correct,
        )
        for rushed in too_fast(timed)
    ]


def _section_starts(attempt: Attempt) -> list[datetime | None]:
    starts: list[datetime | None] = []
    for entry in attempt.section_log:
        text = entry.get("started_at")
        starts.append(datetime.fromisoformat(text) if isinstance(text, str) else None)
    return starts


def _words(item: ChoiceItem) -> int:
    return len(item.stem.split()) + sum(len(option.text.split()) for option in item.options)
