"""``assay psychometrics``: calibrate items (IRT) and review them (classical statistics)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import cast

import click

from assay.errors import AppError
from assay.scoring import classical, irt
from assay.scoring.responses import ResponseTable, read_responses_csv

_RESPONSES = click.option(
    "--responses",
    "responses_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Long CSV with header candidate,item,score (optional columns: choice, seconds).",
)


def _emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False))


def _number(value: float) -> float | None:
    """JSON has no NaN: an undefined statistic is null."""
    return None if math.isnan(value) else value


def _read(path: Path) -> ResponseTable:
    try:
        return read_responses_csv(path)
    except AppError as error:
        raise click.ClickException(error.message) from error


@click.group()
def psychometrics() -> None:
    """Calibrate items and score candidates (IRT); review items (classical statistics)."""


@psychometrics.command()
@_RESPONSES
@click.option(
    "--model",
    type=click.Choice(irt.MODELS),
    required=True,
    help="2pl for right/wrong items (scores 0/1), grm for partial credit (scores 0..K).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the calibration as JSON.")
@click.option(
    "--max-iterations",
    type=click.IntRange(1, 10_000),
    default=500,
    show_default=True,
    help="EM cycles before giving up on convergence.",
)
def calibrate(responses_path: Path, model: str, as_json: bool, max_iterations: int) -> None:
    """Calibrate the items in the responses file and score its candidates by EAP.

    Items on which everyone scored the same are left out and reported as warnings.
    """
    table = _read(responses_path)
    try:
        result = irt.calibrate(table, model=cast(irt.Model, model), max_iterations=max_iterations)
    except AppError as error:
        raise click.ClickException(error.message) from error
    if as_json:
        _emit_json(irt.as_json(result))
        return
    click.echo(
        f"{result.model}: {len(result.items)} items, {len(result.candidates)} candidates, "
        f"{'converged' if result.converged else 'NOT converged'} after {result.iterations} "
        f"EM cycles; marginal reliability {result.reliability:.2f}"
    )
    click.echo(f"{'item':<40} {'a':>6}  thresholds")
    for item in result.items:
        thresholds = " ".join(f"{value:6.2f}" for value in item.thresholds)
        click.echo(f"{item.id:<40} {item.a:6.2f}  {thresholds}")
    click.echo(f"{'candidate':<40} {'theta':>6} {'se':>6}")
    for candidate in result.candidates:
        click.echo(f"{candidate.id:<40} {candidate.theta:6.2f} {candidate.se:6.2f}")
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


@psychometrics.command()
@_RESPONSES
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def items(responses_path: Path, as_json: bool) -> None:
    """Classical item statistics, distractor tables, reliability and review flags."""
    table = _read(responses_path)
    try:
        statistics = classical.item_statistics(table)
        distractors = classical.distractor_tables(table)
        reliability = classical.form_reliability(table)
    except AppError as error:
        raise click.ClickException(error.message) from error
    flags = classical.flag_items(statistics, distractors)
    if as_json:
        _emit_json(
            {
                "items": [
                    {
                        "id": item.id,
                        "responses": item.responses,
                        "p_value": item.p_value,
                        "discrimination": _number(item.discrimination),
                        "mean_seconds": item.mean_seconds,
                    }
                    for item in statistics
                ],
                "distractors": [
                    {
                        "item": table_.item,
                        "upper_group": table_.upper_group,
                        "lower_group": table_.lower_group,
                        "options": [
                            {
                                "option": option.option,
                                "key": option.is_key,
                                "picked": option.picked,
                                "upper": option.upper,
                                "lower": option.lower,
                            }
                            for option in table_.options
                        ],
                    }
                    for table_ in distractors
                ],
                "reliability": None
                if reliability is None
                else {
                    "alpha": _number(reliability.alpha),
                    "sem": reliability.sem,
                    "candidates": reliability.candidates,
                },
                "flags": [
                    {"item": flag.item, "code": flag.code, "message": flag.message}
                    for flag in flags
                ],
            }
        )
        return
    click.echo(f"{'item':<40} {'n':>5} {'p':>5} {'r_it':>6} {'secs':>6}")
    for item in statistics:
        seconds = f"{item.mean_seconds:6.0f}" if item.mean_seconds is not None else f"{'-':>6}"
        click.echo(
            f"{item.id:<40} {item.responses:5d} {item.p_value:5.2f} "
            f"{item.discrimination:6.2f} {seconds}"
        )
    if reliability is None:
        click.echo("Alpha: not computable (needs 2+ items answered by 3+ candidates)")
    else:
        click.echo(
            f"Alpha {reliability.alpha:.2f}, SEM {reliability.sem:.2f} points "
            f"({reliability.candidates} complete candidates)"
        )
    for flag in flags:
        click.echo(f"Flag {flag.item} [{flag.code}]: {flag.message}")
