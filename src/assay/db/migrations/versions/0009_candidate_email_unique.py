"""delivery: one candidate per email and assessment, enforced by the database

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 11:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_candidate_assessment_id_email", ["assessment_id", "email"]
        )


def downgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_constraint("uq_candidate_assessment_id_email", type_="unique")
