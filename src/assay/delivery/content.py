"""Candidate-facing views of library items: what to show, never the keys, rubrics or tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from assay.content.loader import load_library
from assay.content.schemas import (
    ChoiceItem,
    CodeReviewTask,
    CodingTaskMeta,
    ContentItem,
    FreeTextTask,
    SqlTaskMeta,
)
from assay.errors import NotFound

# Untrusted HTML in item text is escaped: items are files in git, but defence in depth is cheap.
_markdown = MarkdownIt("commonmark", {"html": False})
_lock = threading.Lock()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # context | add | del | hunk
    old: int | None
    new: int | None
    text: str


@dataclass(frozen=True)
class DiffFileView:
    path: str
    lines: tuple[DiffLine, ...]


@dataclass(frozen=True)
class ItemView:
    """Everything a candidate page needs to render one item."""

    id: str
    version: int
    kind: str
    title: str
    body_html: str
    mode: str = ""  # choice: single | multiple
    options: tuple[tuple[str, str], ...] = ()  # (option id, HTML), in the candidate's order
    languages: tuple[str, ...] = ()
    starters: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> files
    editor_language: str = ""
    schema_sql: str = ""
    diff: tuple[DiffFileView, ...] = ()
    expected_words: tuple[int, int] | None = None


def render_markdown(text: str) -> str:
    """Item Markdown as HTML; its headings start at h3, under the page's h1 and the item's h2."""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(6, int(token.tag[1:]) + 2)}"
    html = str(_markdown.renderer.render(tokens, _markdown.options, {}))
    # Code blocks may scroll sideways: keyboard users must be able to reach them. Raw HTML is
    # escaped (html=False), so every "<pre>" here is one the renderer wrote.
    return html.replace("<pre>", '<pre tabindex="0">')


@lru_cache(maxsize=1)
def _library_items() -> dict[str, tuple[ContentItem, Path | None]]:
    with _lock:
        library = load_library()
        return {item.id: (item, loaded.package_dir) for loaded, item in library.valid()}


def clear_cache() -> None:
    _library_items.cache_clear()
    _view.cache_clear()


def library_item(item_id: str) -> tuple[ContentItem, Path | None]:
    try:
        return _library_items()[item_id]
    except KeyError:
        raise NotFound(f"Item '{item_id}' is not in the content library.") from None


def parse_diff(text: str) -> tuple[DiffFileView, ...]:
    """A unified diff as rows with old and new line numbers, file by file."""
    files: list[DiffFileView] = []
    path = ""
    rows: list[DiffLine] = []
    old = new = 0
    in_hunk = False
    for line in text.splitlines():
        if line.startswith("diff --git"):
            if path:
                files.append(DiffFileView(path, tuple(rows)))
            path, rows, in_hunk = "", [], False
        elif line.startswith("+++ ") and not in_hunk:
            target = line[4:].strip()
            path = target[2:] if target.startswith("b/") else target
        elif line.startswith("--- ") and not in_hunk:
            if not path and line[4:].strip() != "/dev/null":
                path = line[4:].strip().removeprefix("a/")
        elif line.startswith("@@"):
            in_hunk = True
            header = line.split("@@")[1].split()
            old = int(header[0][1:].split(",")[0])
            new = int(header[1][1:].split(",")[0])
            rows.append(DiffLine("hunk", None, None, line))
        elif in_hunk and line.startswith("+"):
            rows.append(DiffLine("add", None, new, line[1:]))
            new += 1
        elif in_hunk and line.startswith("-"):
            rows.append(DiffLine("del", old, None, line[1:]))
            old += 1
        elif in_hunk and not line.startswith("\\"):
            rows.append(DiffLine("context", old, new, line[1:]))
            old += 1
            new += 1
    if path:
        files.append(DiffFileView(path, tuple(rows)))
    return tuple(files)


def _package(task_id: str) -> Any:
    from assay.grading.packages import load_package  # noqa: PLC0415 - keeps start-up light
    from assay.grading.service import task_dir  # noqa: PLC0415

    return load_package(task_dir(task_id))


EDITOR_LANGUAGE = {"python": "python", "node": "node", "java": "java"}


@lru_cache(maxsize=512)
def _view(item_id: str, option_order: tuple[str, ...]) -> ItemView:
    item, package_dir = library_item(item_id)
    if isinstance(item, ChoiceItem):
        by_id = {option.id: option for option in item.options}
        order = [o for o in option_order if o in by_id] or list(by_id)
        return ItemView(
            id=item.id,
            version=item.version,
            kind="choice",
            title="Question",
            body_html=render_markdown(item.stem),
            mode=item.mode,
            options=tuple((o, render_markdown(by_id[o].text)) for o in order),
        )
    if isinstance(item, FreeTextTask):
        low, high = item.expected_words
        return ItemView(
            id=item.id,
            version=item.version,
            kind="free_text",
            title=item.title,
            body_html=render_markdown(item.prompt),
            expected_words=(low, high),
        )
    if isinstance(item, CodeReviewTask):
        diff_text = (package_dir / "change.diff").read_text() if package_dir else ""
        return ItemView(
            id=item.id,
            version=item.version,
            kind="code_review",
            title=item.title,
            body_html=render_markdown(item.context),
            diff=parse_diff(diff_text),
        )
    if isinstance(item, CodingTaskMeta):
        package = _package(item.id)
        languages = tuple(package.language_names())
        return ItemView(
            id=item.id,
            version=item.version,
            kind="coding",
            title=item.title,
            body_html=render_markdown(package.statement),
            languages=languages,
            starters={language: package.starter(language) for language in languages},
        )
    if isinstance(item, SqlTaskMeta):
        package = _package(item.id)
        return ItemView(
            id=item.id,
            version=item.version,
            kind="sql",
            title=item.title,
            body_html=render_markdown(package.statement),
            languages=("sql",),
            starters={"sql": package.starter("sql")},
            editor_language=item.dialect,
            schema_sql=package.schema_sql,
        )
    raise NotFound(f"Item '{item_id}' cannot be delivered.")


def item_view(item_id: str, option_order: list[str] | None = None) -> ItemView:
    return _view(item_id, tuple(option_order or ()))
