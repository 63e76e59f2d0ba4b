"""The candidate's view of a drawn form: statements, options and starters, never a key.

Everything here is built field by field from the item, so nothing is shown that was not chosen
to be shown: no correct flags, rationales, defects, rubrics, reference solutions or hidden tests.
Items are referred to by their place on the form (``knowledge-3``), not by their library id,
which often names the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

from assay.assessments.assembly import Assembly, DrawnForm, DrawnItem
from assay.assessments.blueprint import SECTION_TITLES, SectionKind
from assay.assessments.index import ContentIndex, IndexedItem
from assay.assessments.schemas import (
    ChoiceView,
    CodeReviewView,
    CodingVariant,
    CodingView,
    DiffFileView,
    DiffLine,
    FormSectionView,
    FormView,
    FreeTextView,
    ItemView,
    OptionView,
    SourceFile,
    SqlView,
)
from assay.content.schemas import (
    ChoiceItem,
    CodeReviewTask,
    CodingTaskMeta,
    FreeTextTask,
    SqlTaskMeta,
)

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
MAX_STARTER_BYTES = 200_000


def _read(path: Path | None, name: str) -> str:
    if path is None or not (path / name).is_file():
        return ""
    return (path / name).read_text(encoding="utf-8")


def _starter_files(record: IndexedItem, language: str) -> list[SourceFile]:
    if record.package_dir is None:
        return []
    root = record.package_dir / language / "starter"
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.stat().st_size <= MAX_STARTER_BYTES:
            files.append(
                SourceFile(path=str(path.relative_to(root)), content=path.read_text("utf-8"))
            )
    return files


def diff_files(diff: str) -> list[DiffFileView]:
    """A unified diff as files of numbered lines (old and new side), for reading it in review."""
    files: list[DiffFileView] = []
    old = new = 0
    for raw in diff.splitlines():
        if raw.startswith("diff --git "):
            files.append(DiffFileView(path=raw.split(" b/", 1)[-1], lines=[]))
        elif raw.startswith(("--- ", "+++ ", "index ", "new file", "deleted file", "similarity")):
            if raw.startswith("+++ ") and files and raw[4:] != "/dev/null":
                files[-1].path = raw[4:].removeprefix("b/")
        elif match := _HUNK.match(raw):
            old, new = int(match.group(1)), int(match.group(2))
            if files:
                files[-1].lines.append(DiffLine(old=None, new=None, kind="hunk", text=raw))
        elif files:
            if raw.startswith("+"):
                files[-1].lines.append(DiffLine(old=None, new=new, kind="add", text=raw[1:]))
                new += 1
            elif raw.startswith("-"):
                files[-1].lines.append(DiffLine(old=old, new=None, kind="remove", text=raw[1:]))
                old += 1
            elif not raw.startswith("\\"):
                files[-1].lines.append(DiffLine(old=old, new=new, kind="context", text=raw[1:]))
                old, new = old + 1, new + 1
    return files


def item_view(drawn: DrawnItem, record: IndexedItem, ref: str) -> ItemView:
    """One non-coding item as the candidate sees it."""
    item = record.item
    if isinstance(item, ChoiceItem):
        options = {option.id: option for option in item.options}
        order = drawn.option_order or tuple(options)
        return ChoiceView(
            ref=ref,
            mode=item.mode,
            stem=item.stem,
            options=[OptionView(id=o, text=options[o].text) for o in order],
        )
    if isinstance(item, SqlTaskMeta):
        return SqlView(
            ref=ref,
            title=item.title,
            statement=_read(record.package_dir, "statement.md"),
            dialect=item.dialect,
            schema_sql=_read(record.package_dir, "schema.sql"),
            starter=_read(record.package_dir, "starter.sql"),
        )
    if isinstance(item, CodeReviewTask):
        return CodeReviewView(
            ref=ref,
            title=item.title,
            context=item.context,
            language=item.language,
            files=diff_files(_read(record.package_dir, "change.diff")),
        )
    if isinstance(item, FreeTextTask):
        return FreeTextView(
            ref=ref, title=item.title, prompt=item.prompt, expected_words=item.expected_words
        )
    raise TypeError(f"{type(item).__name__} is shown per language")  # pragma: no cover


def _coding_view(drawn: list[DrawnItem], index: ContentIndex, ref: str) -> CodingView:
    variants = {}
    for variant in drawn:
        record = index.by_id[variant.item_id]
        assert isinstance(record.item, CodingTaskMeta)
        language = variant.language or record.languages[0]
        variants[language] = CodingVariant(
            ref=f"{ref}-{language}",
            title=record.item.title,
            statement=_read(record.package_dir, "statement.md"),
            starter=_starter_files(record, language),
        )
    return CodingView(variants=variants)


def form_view(form: DrawnForm, assembly: Assembly, index: ContentIndex) -> FormView:
    """The whole form as the candidate sees it, section by section."""
    sections = []
    for section in form.sections:
        items: list[ItemView] = []
        slots = sorted({d.slot for d in section.items})
        for slot in slots:
            drawn = [d for d in section.items if d.slot == slot]
            ref = f"{section.kind.value.replace('_', '-')}-{slot + 1}"
            if section.kind is SectionKind.CODING:
                items.append(_coding_view(drawn, index, ref))
            else:
                items.append(item_view(drawn[0], index.by_id[drawn[0].item_id], ref))
        sections.append(
            FormSectionView(
                kind=section.kind,
                title=SECTION_TITLES[section.kind],
                minutes=section.minutes,
                items=items,
            )
        )
    return FormView(
        seed=form.seed,
        total_minutes=assembly.blueprint.total_minutes,
        languages=list(assembly.blueprint.languages),
        sections=sections,
        shortfalls=[s.message for s in assembly.shortfalls],
    )
