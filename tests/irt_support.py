"""Test support for the IRT path of results: a simulated 2PL cohort inserted in bulk.

Candidates, invitations, per-candidate forms, attempts and right/wrong choice answers are
inserted with a handful of multi-row INSERTs (hundreds of candidates through the delivery
service would take minutes); scoring then runs through the real results service.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from assay.assessments.models import Assessment, Form
from assay.content.schemas import ChoiceItem
from assay.delivery.content import _library_items
from assay.delivery.models import Attempt, Candidate, Invitation, Response
from assay.kit.clock import utcnow
from assay.kit.ids import new_id
from assay.results import service
from assay.scoring.responses import Response as ScoredResponse
from assay.scoring.responses import ResponseTable
from tests.factories import OrgFixture


@dataclass(frozen=True)
class SimulatedItem:
    """A library single-answer choice item with the true 2PL parameters its answers follow."""

    item: ChoiceItem
    a: float
    b: float

    def p_right(self, theta: float) -> float:
        return 1.0 / (1.0 + math.exp(-self.a * (theta - self.b)))


@dataclass
class Cohort:
    """What was simulated: items, each attempt's true ability and the items it was shown."""

    assessment: Assessment
    items: list[SimulatedItem]
    theta: dict[uuid.UUID, float]  # attempt id -> true ability
    shown: dict[uuid.UUID, list[str]]  # attempt id -> item ids of its form
    right: dict[uuid.UUID, dict[str, int]]  # attempt id -> item id -> 1 right, 0 wrong
    candidate_of: dict[uuid.UUID, uuid.UUID]  # attempt id -> candidate id

    @property
    def attempt_ids(self) -> list[uuid.UUID]:
        return list(self.theta)

    def responses_per_item(self) -> Counter[str]:
        return Counter(item_id for shown in self.shown.values() for item_id in shown)

    def largest_shared_form(self) -> int:
        """How many candidates sat the most common form (as a set of items)."""
        return max(Counter(frozenset(shown) for shown in self.shown.values()).values())

    def table(self) -> ResponseTable:
        """The simulated right/wrong answers as the scoring library's response table."""
        return ResponseTable.from_responses(
            ScoredResponse(candidate=str(attempt_id), item=item_id, score=float(right))
            for attempt_id, answers in self.right.items()
            for item_id, right in answers.items()
        )


def single_choice_items(count: int) -> list[ChoiceItem]:
    """The first ``count`` single-answer choice items of the library, by id."""
    found = sorted(
        (
            item
            for item, _path in _library_items().values()
            if isinstance(item, ChoiceItem) and item.mode == "single"
        ),
        key=lambda item: item.id,
    )
    assert len(found) >= count, f"the library has only {len(found)} single-answer items"
    return found[:count]


def _forms(
    rng: random.Random, *, candidates: int, pool: int, long_form: int, short_form: int
) -> list[list[int]]:
    """Item positions per candidate: two in three sit a long form, the rest a short one.

    Items are drawn least-shown first, with noise of two responses, so that every item reaches
    about the same number of responses while the forms differ, as drawn forms do.
    """
    shown = [0] * pool
    forms = []
    for index in range(candidates):
        size = short_form if index % 3 == 2 else long_form
        order = sorted(range(pool), key=lambda j: shown[j] + 2 * rng.random())
        chosen = sorted(order[:size])
        for j in chosen:
            shown[j] += 1
        forms.append(chosen)
    return forms


def simulate_cohort(
    db: Session,
    org: OrgFixture,
    assessment: Assessment,
    *,
    candidates: int,
    pool: int = 24,
    long_form: int = 20,
    short_form: int = 7,
    seed: int = 20240611,
) -> Cohort:
    """Insert ``candidates`` finished attempts answering choice items by a 2PL; none scored yet.

    Item slopes are drawn from U(0.8, 2.0) and difficulties from U(−1.5, 1.5); abilities
    from N(0, 1).
    """
    rng = random.Random(seed)  # noqa: S311 - a seeded simulation, not a secret
    items = [
        SimulatedItem(item, a=rng.uniform(0.8, 2.0), b=rng.uniform(-1.5, 1.5))
        for item in single_choice_items(pool)
    ]
    org_id = org.organization.id
    now = utcnow()
    rows: dict[type, list[dict[str, Any]]] = {
        Candidate: [],
        Invitation: [],
        Form: [],
        Attempt: [],
        Response: [],
    }
    cohort = Cohort(assessment, items, {}, {}, {}, {})
    forms = _forms(
        rng, candidates=candidates, pool=pool, long_form=long_form, short_form=short_form
    )
    for index, positions in enumerate(forms):
        candidate_id, invitation_id, form_id, attempt_id = (new_id() for _ in range(4))
        theta = rng.gauss(0.0, 1.0)
        form_items = [items[j] for j in positions]
        rows[Candidate].append(
            {
                "id": candidate_id,
                "organization_id": org_id,
                "assessment_id": assessment.id,
                "name": f"Candidate {index:03d}",
                "email": f"candidate{index:03d}-{candidate_id.hex[:6]}@example.com",
                "created_at": now + timedelta(microseconds=index),
            }
        )
        rows[Invitation].append(
            {
                "id": invitation_id,
                "organization_id": org_id,
                "candidate_id": candidate_id,
                "token_digest": hashlib.sha256(invitation_id.bytes).hexdigest(),
                "expires_at": now + timedelta(days=7),
                "opened_at": now,
            }
        )
        rows[Form].append(
            {
                "id": form_id,
                "organization_id": org_id,
                "assessment_id": assessment.id,
                "seed": index,
                "sections": [
                    {
                        "kind": "choice",
                        "minutes": 30,
                        "items": [
                            {
                                "item_id": s.item.id,
                                "version": s.item.version,
                                "kind": "choice",
                                "skill": s.item.skills[0],
                                "difficulty": s.item.difficulty,
                                "slot": slot,
                                "option_order": [o.id for o in s.item.options],
                            }
                            for slot, s in enumerate(form_items)
                        ],
                    }
                ],
            }
        )
        rows[Attempt].append(
            {
                "id": attempt_id,
                "organization_id": org_id,
                "invitation_id": invitation_id,
                "form_id": form_id,
                "started_at": now - timedelta(minutes=40),
                "section_started_at": now - timedelta(minutes=40),
                "section_deadline": now - timedelta(minutes=10),
                "section_log": [],
                "finished_at": now - timedelta(minutes=15),
                "browser_id": "b" * 16,
                "browsers": ["b" * 16],
            }
        )
        answers: dict[str, int] = {}
        for s in form_items:
            right = rng.random() < s.p_right(theta)
            answers[s.item.id] = int(right)
            wrong = [o.id for o in s.item.options if not o.correct][:1]
            rows[Response].append(
                {
                    "id": new_id(),
                    "organization_id": org_id,
                    "attempt_id": attempt_id,
                    "item_id": s.item.id,
                    "item_version": s.item.version,
                    "section_index": 0,
                    "answer": {"selected": list(s.item.keys) if right else wrong},
                    "sequence": 1,
                }
            )
        cohort.theta[attempt_id] = theta
        cohort.shown[attempt_id] = [s.item.id for s in form_items]
        cohort.right[attempt_id] = answers
        cohort.candidate_of[attempt_id] = candidate_id
    for model, values in rows.items():
        db.execute(insert(model), values)
    db.flush()
    return cohort


def recompute_all(db: Session, cohort: Cohort) -> None:
    """Run the results job for every attempt of the cohort, as the worker would."""
    for attempt_id in cohort.attempt_ids:
        assert service.recompute(db, attempt_id=attempt_id) is not None
    db.flush()
