"""`assay user`: create an organization and its owner from the command line."""

from __future__ import annotations

import click
from pydantic import ValidationError


@click.group()
def user() -> None:
    """Manage organizations and accounts."""


@user.command("create-org")
@click.option("--organization", required=True, help="Organization name.")
@click.option("--name", required=True, help="Owner's name.")
@click.option("--email", required=True, help="Owner's email.")
@click.password_option(help="Owner's password (prompted when omitted).")
def create_org(organization: str, name: str, email: str, password: str) -> None:
    """Create an organization and its owner."""
    from assay.accounts import service  # noqa: PLC0415
    from assay.accounts.schemas import SignupCreate  # noqa: PLC0415
    from assay.db.engine import transaction  # noqa: PLC0415
    from assay.errors import AppError  # noqa: PLC0415

    try:
        body = SignupCreate(
            organization_name=organization, name=name, email=email, password=password
        )
        with transaction() as session:
            org, _owner = service.signup(
                session,
                organization_name=body.organization_name,
                name=body.name,
                email=body.email,
                password=body.password,
            )
    except ValidationError as exc:
        raise click.ClickException(
            "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())
        ) from None
    except AppError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created {org.name} ({org.slug}); {body.email} is its owner.")
