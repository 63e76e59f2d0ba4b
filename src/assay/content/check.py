"""The content validator behind ``assay content check``: every rule, one precise problem each.

Loading (``assay.content.loader``) checks the shape of each file. This module adds the rules
that span fields and files: keys and options of choice items, sub-skill roll-up, locations,
id uniqueness, code review line ranges against the diff, rubric levels, and (for coding and
SQL packages) the sandbox runs of reference, starter and mutant solutions, which the grading
engine performs and a ``PackageVerifier`` adapts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assay.content.diffs import parse_unified_diff
from assay.content.loader import Library, LoadedItem, Problem, display_path, load_library
from assay.content.schemas import (
    ChoiceItem,
    CodeReviewTask,
    CodingTaskMeta,
    ContentItem,
    FreeTextTask,
    SqlTaskMeta,
)
from assay.content.skills import parent_skill

DIFF_FILE = "change.diff"
DIFF_MIN_LINES = 80
DIFF_MAX_LINES = 300
MIN_DEFECT_CATEGORIES = 2
PACKAGE_WORKERS = 2


@dataclass
class CheckReport:
    """What ``assay content check`` found: how many items, what is wrong, what was not run."""

    checked: int
    problems: list[Problem]
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problems": [{"path": p.path, "message": p.message} for p in self.problems],
            "skipped": self.skipped,
        }


class VerifierUnavailable(Exception):
    """The sandbox checks cannot run here (no grading engine, or no sandbox on this host)."""


# One sandbox job: runs some of a package's solutions, returns ``field: what`` messages.
Check = Callable[[], list[str]]


class PackageVerifier(Protocol):
    """Plans the sandbox runs that check a coding or SQL package.

    ``plan`` loads the package and returns independent jobs (reference, starter, each mutant)
    so that a slow package's runs spread over all workers. Jobs report messages such as
    "reference fails a hidden test", "the starter passes", "a mutant passes every test".
    ``plan`` raises ``VerifierUnavailable`` when this host cannot run packages at all.
    """

    def plan(self, package_dir: Path) -> list[Check]: ...


# --- rules on one item --------------------------------------------------------------------

Rule = Callable[[LoadedItem, ContentItem], Iterator[str]]


def common_rules(loaded: LoadedItem, item: ContentItem) -> Iterator[str]:
    """Id matches its file or folder, location matches type, skills unique, sub-skills roll up."""
    if item.id != loaded.name:
        kind = "folder" if loaded.package_dir else "file"
        yield f'id: "{item.id}" does not match the {kind} name "{loaded.name}"'
    if loaded.folder_type is not None and loaded.folder_type != item.type:
        yield f'type: "{item.type}" item found under content/{loaded.folder_type}/'
    seen: set[str] = set()
    for index, skill in enumerate(item.skills):
        if skill in seen:
            yield f'skills[{index}]: "{skill}" is listed twice'
        seen.add(skill)
    for index, subskill in enumerate(item.subskills):
        parent = parent_skill(subskill)
        if parent is not None and parent not in item.skills:
            yield (
                f'subskills[{index}]: "{subskill}" rolls up to "{parent}", '
                f"which is not in skills {item.skills}"
            )


def choice_rules(loaded: LoadedItem, item: ContentItem) -> Iterator[str]:
    """Option ids in order, key count per mode, distinct option texts, primary skill folder."""
    if not isinstance(item, ChoiceItem):
        return
    if loaded.folder_type == "choice" and loaded.source.parent.name != item.primary_skill:
        yield (
            f'skills[0]: primary skill "{item.primary_skill}" does not match the folder '
            f'"{loaded.source.parent.name}" (content/choice/<primary-skill>/<id>.yaml)'
        )
    for index, option in enumerate(item.options):
        expected = chr(ord("a") + index)
        if option.id != expected:
            yield f'options[{index}].id: expected "{expected}", got "{option.id}"'
    texts: dict[str, int] = {}
    for index, option in enumerate(item.options):
        normalized = " ".join(option.text.split()).casefold()
        if normalized in texts:
            yield f"options[{index}].text: duplicates options[{texts[normalized]}].text"
        texts.setdefault(normalized, index)
    keys = len(item.keys)
    if item.mode == "single" and keys != 1:
        yield f"options: mode single needs exactly one correct option, found {keys}"
    if item.mode == "multiple":
        if keys < 1:
            yield "options: mode multiple needs at least one correct option, found none"
        if keys == len(item.options):
            yield "options: mode multiple needs at least one incorrect option, all are correct"
        if "select all that apply" not in item.stem.casefold():
            yield 'stem: mode multiple must tell the candidate "Select all that apply."'


def free_text_rules(loaded: LoadedItem, item: ContentItem) -> Iterator[str]:
    """Rubric criteria unique, levels scored 0..n-1 in order, a sensible word range."""
    if not isinstance(item, FreeTextTask):
        return
    low, high = item.expected_words
    if low >= high:
        yield f"expected_words: the minimum {low} must be below the maximum {high}"
    criterion_ids: set[str] = set()
    for c_index, criterion in enumerate(item.rubric):
        if criterion.id in criterion_ids:
            yield f'rubric[{c_index}].id: duplicate criterion id "{criterion.id}"'
        criterion_ids.add(criterion.id)
        for l_index, level in enumerate(criterion.levels):
            if level.score != l_index:
                yield (
                    f"rubric[{c_index}].levels[{l_index}].score: expected {l_index} "
                    f"(scores run 0..{len(criterion.levels) - 1} in order), got {level.score}"
                )
        descriptors: dict[str, int] = {}
        for l_index, level in enumerate(criterion.levels):
            key = " ".join(level.descriptor.split()).casefold()
            if key in descriptors:
                yield (
                    f"rubric[{c_index}].levels[{l_index}].descriptor: same as "
                    f"levels[{descriptors[key]}]"
                )
            descriptors.setdefault(key, l_index)


def code_review_rules(loaded: LoadedItem, item: ContentItem) -> Iterator[str]:
    """Defect ids unique, several categories, each defect's lines visible in the diff."""
    if not isinstance(item, CodeReviewTask):
        return
    defect_ids: set[str] = set()
    for index, defect in enumerate(item.defects):
        if defect.id in defect_ids:
            yield f'defects[{index}].id: duplicate defect id "{defect.id}"'
        defect_ids.add(defect.id)
    categories = {defect.category for defect in item.defects}
    if len(categories) < MIN_DEFECT_CATEGORIES:
        yield (
            f"defects: need at least {MIN_DEFECT_CATEGORIES} different categories, "
            f"found only {sorted(categories)}"
        )
    assert loaded.package_dir is not None  # code review items are folders (loader rule)
    diff_path = loaded.package_dir / DIFF_FILE
    if not diff_path.is_file():
        yield f"{DIFF_FILE}: missing beside task.yaml"
        return
    diff = parse_unified_diff(diff_path.read_text(encoding="utf-8", errors="replace"))
    for index, defect in enumerate(item.defects):
        start, end = defect.lines
        if start > end:
            yield f"defects[{index}].lines: start {start} is after end {end}"
            continue
        changed = diff.file(defect.file)
        if changed is None:
            names = ", ".join(sorted(f.new_path for f in diff.files if f.new_path))
            yield (
                f'defects[{index}].file: "{defect.file}" is not a NEW-side file of '
                f"{DIFF_FILE} (files: {names})"
            )
            continue
        missing = [n for n in range(start, end + 1) if n not in changed.visible_new_lines]
        if missing:
            yield (
                f"defects[{index}].lines: {start}..{end} of {defect.file} are not all in the "
                f"diff's hunks (not shown: {_ranges(missing)})"
            )


def diff_problems(loaded: LoadedItem) -> Iterator[str]:
    """Problems of change.diff itself: malformed hunks, size, number of files."""
    assert loaded.package_dir is not None
    diff_path = loaded.package_dir / DIFF_FILE
    if not diff_path.is_file():
        return
    diff = parse_unified_diff(diff_path.read_text(encoding="utf-8", errors="replace"))
    yield from diff.errors
    if not DIFF_MIN_LINES <= diff.line_count <= DIFF_MAX_LINES:
        yield (
            f"is {diff.line_count} lines long; a review change must be "
            f"{DIFF_MIN_LINES}..{DIFF_MAX_LINES} lines"
        )
    if len(diff.files) < 2:
        yield f"changes {len(diff.files)} file(s); a review change spans several files"


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


ITEM_RULES: tuple[Rule, ...] = (common_rules, choice_rules, free_text_rules, code_review_rules)


# --- rules across the library -----------------------------------------------------------


def duplicate_id_problems(library: Library) -> Iterator[Problem]:
    """Ids are unique across the whole library, whatever the type."""
    by_id: dict[str, list[LoadedItem]] = defaultdict(list)
    for loaded, item in library.valid():
        by_id[item.id].append(loaded)
    for item_id, holders in by_id.items():
        if len(holders) < 2:
            continue
        for loaded in holders:
            others = ", ".join(h.display for h in holders if h is not loaded)
            yield Problem(loaded.display, f'id: "{item_id}" is also used by {others}')


# --- sandbox checks of coding and SQL packages ---------------------------------------------


def verify_packages(
    packages: list[LoadedItem], verifier: PackageVerifier, *, workers: int = PACKAGE_WORKERS
) -> tuple[list[Problem], list[str]]:
    """Run every package's sandbox jobs over a pool of workers; returns problems and notes."""
    planned: list[tuple[LoadedItem, Check]] = []
    unavailable: list[str] = []
    for loaded in packages:
        assert loaded.package_dir is not None
        try:
            planned.extend((loaded, job) for job in verifier.plan(loaded.package_dir))
        except VerifierUnavailable as exc:
            unavailable.append(str(exc))
    problems: list[Problem] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="content-check") as pool:
        results = pool.map(lambda entry: entry[1](), planned)
        for (loaded, _), messages in zip(planned, results, strict=True):
            problems.extend(Problem(loaded.display, message) for message in messages)
    notes = [
        f"sandbox checks of {unavailable.count(reason)} coding/SQL package(s) not run: {reason}"
        for reason in dict.fromkeys(unavailable)
    ]
    return problems, notes


def default_verifier() -> PackageVerifier:
    """The grading engine's verifier (imported lazily: schema checks must not need it)."""
    from assay.content.packages import GradingEngineVerifier  # noqa: PLC0415

    return GradingEngineVerifier()


# --- the whole check -------------------------------------------------------------------------


def check_library(
    path: Path | None = None,
    *,
    run_packages: bool = True,
    verifier: PackageVerifier | None = None,
    workers: int = PACKAGE_WORKERS,
) -> CheckReport:
    """Validate everything under ``path`` (default content/): one Problem per thing wrong."""
    library = load_library(path)
    problems = list(library.problems)
    for loaded, item in library.valid():
        for rule in ITEM_RULES:
            problems.extend(Problem(loaded.display, m) for m in rule(loaded, item))
        if isinstance(item, CodeReviewTask) and loaded.package_dir is not None:
            diff_display = display_path(loaded.package_dir / DIFF_FILE)
            problems.extend(Problem(diff_display, m) for m in diff_problems(loaded))
    problems.extend(duplicate_id_problems(library))
    skipped: list[str] = []
    packages = [
        loaded for loaded, item in library.valid() if isinstance(item, CodingTaskMeta | SqlTaskMeta)
    ]
    what = f"sandbox checks of {len(packages)} coding/SQL package(s)"
    if packages and not run_packages:
        skipped.append(f"{what} skipped (--no-run)")
    elif packages:
        try:
            chosen = verifier or default_verifier()
        except VerifierUnavailable as exc:
            skipped.append(f"{what} not run: {exc}")
        else:
            found, notes = verify_packages(packages, chosen, workers=workers)
            problems.extend(found)
            skipped.extend(notes)
    return CheckReport(checked=len(library.items), problems=sorted(set(problems)), skipped=skipped)
