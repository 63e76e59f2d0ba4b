"""``assay jd``: analyse a job description into a weighted skill profile with evidence."""

from __future__ import annotations

import json
from typing import BinaryIO

import click

from assay.assessments.jd import JobProfile, analyze_bytes
from assay.content.skills import get_skill

# Read a little past the analysis limit so that truncation is detected and reported.
_READ_LIMIT = 1_000_000


@click.group()
def jd() -> None:
    """Analyse job descriptions."""


@jd.command()
@click.argument("file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
def analyze(file: BinaryIO, as_json: bool) -> None:
    """Analyse FILE (a text or HTML job description; `-` reads standard input).

    Prints the title, seniority and the skills the description asks for, each with a weight
    (the most asked-for skill is 1.0) and the phrases that show it.
    """
    try:
        data = file.read(_READ_LIMIT)
    except OSError as error:
        raise click.ClickException(f"cannot read {file.name}: {error}") from error
    profile = analyze_bytes(data)
    if as_json:
        click.echo(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_summary(profile))


def render_summary(profile: JobProfile) -> str:
    """A readable summary: what a recruiter checks before building an assessment from it."""
    lines = [
        f"Title:     {profile.title or '(not found)'}",
        f"Seniority: {profile.seniority} (from {profile.seniority_source})",
    ]
    if profile.skills:
        lines.append(f"Skills ({len(profile.skills)}):")
    for skill in profile.skills:
        bar = "█" * round(skill.weight * 10)
        phrases: list[str] = []
        for evidence in skill.evidence:
            phrase = " ".join(evidence.text.split())
            if phrase.lower() not in (p.lower() for p in phrases):
                phrases.append(phrase)
        shown = ", ".join(f'"{p}"' for p in phrases[:4]) + (" ..." if len(phrases) > 4 else "")
        note = "  (nice to have)" if skill.nice_to_have_only else ""
        lines.append(
            f"  {skill.id:<16}{skill.weight:4.2f} {bar:<10} {get_skill(skill.id).title}{note}"
        )
        lines.append(f"  {'':<16}     {shown}")
    for message in profile.messages:
        lines.append(f"Note: {message}")
    return "\n".join(lines)
