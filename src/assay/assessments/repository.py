"""Every query of the assessments domain; rows are always scoped to one organization."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assay.assessments.models import Assessment, BlueprintSection, Form, ItemExposure
from assay.kit.clock import utcnow
from assay.kit.ids import new_id
from assay.kit.pagination import PageParams, paginate


def get_assessment(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(
            Assessment.organization_id == organization_id, Assessment.id == assessment_id
        )
    )


def list_assessments(
    session: Session, *, organization_id: uuid.UUID, page: PageParams
) -> Sequence[Assessment]:
    statement = select(Assessment).where(Assessment.organization_id == organization_id)
    return session.scalars(
        paginate(statement, created_at=Assessment.created_at, ident=Assessment.id, params=page)
    ).all()


def list_sections(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Sequence[BlueprintSection]:
    return session.scalars(
        select(BlueprintSection)
        .where(
            BlueprintSection.organization_id == organization_id,
            BlueprintSection.assessment_id == assessment_id,
        )
        .order_by(BlueprintSection.position)
    ).all()


def delete_sections(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> None:
    for row in list_sections(session, organization_id=organization_id, assessment_id=assessment_id):
        session.delete(row)
    session.flush()  # the unique (assessment, position) must be free before new rows go in


def count_forms(session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Form.organization_id == organization_id, Form.assessment_id == assessment_id
            )
        )
        or 0
    )


def get_exposure(
    session: Session, *, organization_id: uuid.UUID, item_ids: Iterable[str]
) -> dict[str, ItemExposure]:
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(ItemExposure).where(
            ItemExposure.organization_id == organization_id, ItemExposure.item_id.in_(ids)
        )
    )
    return {row.item_id: row for row in rows}


def record_exposure(
    session: Session, *, organization_id: uuid.UUID, shown: Iterable[str], eligible: Iterable[str]
) -> None:
    """Count one more form for every eligible item, and one more showing for every shown one.

    Increments are single UPDATEs (``shown = shown + 1``), so concurrent draws never lose a count.
    """
    eligible_ids = sorted(set(eligible) | set(shown))
    shown_ids = sorted(set(shown))
    if not eligible_ids:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {
            "id": new_id(),
            "organization_id": organization_id,
            "item_id": item_id,
            "shown": 0,
            "eligible": 0,
            "created_at": utcnow(),
        }
        for item_id in eligible_ids
    ]
    session.execute(
        insert(ItemExposure)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["organization_id", "item_id"])
    )
    scope = ItemExposure.organization_id == organization_id
    session.execute(
        update(ItemExposure)
        .where(scope, ItemExposure.item_id.in_(eligible_ids))
        .values(eligible=ItemExposure.eligible + 1)
        .execution_options(synchronize_session=False)
    )
    if shown_ids:
        session.execute(
            update(ItemExposure)
            .where(scope, ItemExposure.item_id.in_(shown_ids))
            .values(shown=ItemExposure.shown + 1)
            .execution_options(synchronize_session=False)
        )
