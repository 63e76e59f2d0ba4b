"""`assay demo`: seed the demo organization and say how to log in."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Seed the demo organization (idempotent) and print how to log in."""
    from assay.config import get_settings  # noqa: PLC0415
    from assay.db.engine import transaction  # noqa: PLC0415
    from assay.demo.seed import seed  # noqa: PLC0415

    with transaction() as session:
        login = seed(session)
    state = "Seeded" if login.created else "Kept"
    story = (
        f"\n  Candidates  {login.candidates} simulated; their coding and SQL answers are graded "
        "in the background once `assay serve` runs.\n"
        if login.created
        else ""
    )
    click.echo(
        f"{state} the demo organization.\n\n"
        f"  Open      {get_settings().base_url}/login\n"
        f"  Email     {login.email}\n"
        f"  Password  {login.password}\n"
        f"{story}"
    )
