"""assessments: reviewers per written answer and blind reviewer names (issue 7)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:49:32.432975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults give existing assessments the defaults: two reviewers, names hidden.
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reviewers_per_answer", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "blind_reviewer_names", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("blind_reviewer_names")
        batch_op.drop_column("reviewers_per_answer")
