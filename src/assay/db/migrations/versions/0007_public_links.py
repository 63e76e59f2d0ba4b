"""delivery: public self-registration links, one per assessment

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 09:32:53.228010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import assay.db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_link",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", assay.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_public_link_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_public_link_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_link")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_public_link_assessment_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_public_link_slug")),
    )
    with op.batch_alter_table("public_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_link_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_public_link_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("public_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_link_organization_id"))
        batch_op.drop_index(batch_op.f("ix_public_link_created_at"))

    op.drop_table("public_link")
