"""The ``assay`` command line.

Subcommands are loaded lazily from their domain packages, so ``assay sandbox run`` does not pay
for importing the web application and a broken import in one domain names itself clearly.
Each domain registers its command here with a ``"module:attribute"`` path.
"""

from __future__ import annotations

import importlib

import click

# name -> (import path, one-line help shown by `assay --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("assay.web.cli:serve", "Serve the web application and JSON API."),
    "db": ("assay.db.cli:db", "Database migrations."),
    "demo": ("assay.demo.cli:demo", "Seed the demo organization."),
    "user": ("assay.accounts.cli:user", "Manage organizations and accounts."),
    "grade": ("assay.grading.cli:grade", "Grade a solution against a task package."),
    "grading": ("assay.grading.jobs_cli:grading", "Queue, sweep and re-grade submissions."),
    "worker": ("assay.jobs.worker:worker", "Run a worker for grading and mail jobs."),
    "content": ("assay.content.cli:content", "Validate, count and exchange content."),
    "jd": ("assay.assessments.cli:jd", "Analyse a job description."),
    "sandbox": ("assay.grading.cli:sandbox", "Run a program in the sandbox."),
    "psychometrics": (
        "assay.scoring.cli:psychometrics",
        "Calibrate items and score candidates (IRT).",
    ),
    "similarity": ("assay.integrity.cli:similarity", "Find copied code between submissions."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name][0].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{COMMANDS[cmd_name][0]} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help must not import every domain: use the registered one-liners.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="assay")
def main() -> None:
    """Assay: technical hiring assessments, graded for real."""
