"""`assay similarity`: find copied code between the submissions in a directory."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assay.integrity.fingerprint import Fingerprint, fingerprint
from assay.integrity.index import SimilarPair, score_corpus
from assay.integrity.languages import LANGUAGES, spec_for
from assay.integrity.threshold import estimate_threshold


@click.command("similarity")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
@click.option("--language", type=click.Choice(LANGUAGES), required=True, help="Source language.")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Starter code given to every candidate; code found in it is ignored.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def similarity(directory: Path, language: str, template: Path | None, as_json: bool) -> None:
    """Compare every file in DIRECTORY (recursively) with every other and list similar pairs."""
    files = _source_files(directory, language, exclude=template)
    if not files:
        extensions = ", ".join(spec_for(language).extensions)
        raise click.ClickException(f"no {extensions} files under {directory}")
    fingerprints: dict[str, Fingerprint] = {}
    for path in files:
        name = path.relative_to(directory).as_posix()
        try:
            fingerprints[name] = _fingerprint_file(path, language)
        except OSError as exc:
            click.echo(f"skipped {name}: {exc.strerror or exc}", err=True)
    template_fp = None
    if template is not None:
        # Every k-gram of the template (window 1), not just its winnowed sample.
        template_fp = fingerprint(_read(template), language, window=1)
    comparison = score_corpus(fingerprints, template=template_fp)
    pairs = comparison.pairs()
    if as_json:
        click.echo(json.dumps({"pairs": [pair.to_dict() for pair in pairs]}, indent=2))
        return
    threshold = estimate_threshold(comparison.similarity, total_pairs=comparison.submission_pairs)
    _print_table(pairs, len(files), threshold.value)


def _source_files(directory: Path, language: str, *, exclude: Path | None) -> list[Path]:
    extensions = set(spec_for(language).extensions)
    skip = exclude.resolve() if exclude is not None else None
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in extensions and path.resolve() != skip
    )


def _read(path: Path) -> str:
    # Submissions are untrusted bytes: undecodable ones still get fingerprinted.
    return path.read_bytes().decode("utf-8", errors="replace")


def _fingerprint_file(path: Path, language: str) -> Fingerprint:
    return fingerprint(_read(path), language)


def _print_table(pairs: list[SimilarPair], files: int, threshold: float) -> None:
    flagged = sum(pair.similarity >= threshold for pair in pairs)
    click.echo(
        f"{files} files, {len(pairs)} pairs share code; estimated threshold {threshold:.2f} "
        f"(median + 6 MAD of this directory's pairs): {flagged} at or above it."
    )
    if not pairs:
        return
    width = max(len(pair.a) for pair in pairs)
    click.echo(f"\n{'score':>6} {'longest':>7}  {'a':<{width}}  b")
    for pair in pairs:
        mark = "*" if pair.similarity >= threshold else " "
        click.echo(
            f"{pair.similarity:>5.2f}{mark} {pair.longest_fragment_tokens:>7}  "
            f"{pair.a:<{width}}  {pair.b}"
        )
        for fragment in pair.fragments[:5]:
            (a_start, a_end), (b_start, b_end) = fragment.a_lines, fragment.b_lines
            click.echo(
                f"{'':>16}lines {a_start}-{a_end}  <->  lines {b_start}-{b_end}"
                f"  ({fragment.tokens} tokens)"
            )
        if len(pair.fragments) > 5:
            click.echo(f"{'':>16}... {len(pair.fragments) - 5} more fragments")
