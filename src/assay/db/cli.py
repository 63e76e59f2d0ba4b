"""`assay db`: apply and inspect migrations."""

from __future__ import annotations

import click

from assay.db import migrate


@click.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    migrate.upgrade(revision=revision)
    click.echo(f"Database at {migrate.head_revision() if revision == 'head' else revision}.")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the database back to REVISION."""
    migrate.downgrade(None, revision)


@db.command()
def current() -> None:
    """Print the database's revision and the newest one."""
    from assay.db.engine import get_engine  # noqa: PLC0415

    with get_engine().connect() as connection:
        click.echo(
            f"current: {migrate.current_revision(connection)}\nhead:    {migrate.head_revision()}"
        )


@db.command()
@click.option("-m", "--message", required=True, help="What the migration does.")
def revision(message: str) -> None:
    """Autogenerate a migration from the models (review it before committing)."""
    from alembic import command  # noqa: PLC0415

    command.revision(migrate.alembic_config(), message=message, autogenerate=True)
