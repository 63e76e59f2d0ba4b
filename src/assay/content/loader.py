"""Walks content/ and turns item files and task packages into validated models.

Loading reports every file-level problem (YAML syntax, duplicate keys, schema) as a ``Problem``
with the file's path and the exact field, and never raises for bad content: a library with one
broken item still loads the others, so one ``assay content check`` run lists everything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError
from yaml.constructor import ConstructorError

from assay.config import get_settings
from assay.content.schemas import CONTENT_TYPES, MODEL_BY_TYPE, ContentItem, ContentType

PACKAGE_FILE = "task.yaml"
ITEM_SUFFIXES = (".yaml", ".yml")
# Content types whose items are folders (a task.yaml plus files); the others are single files.
PACKAGE_TYPES: frozenset[str] = frozenset({"coding", "sql", "code_review"})


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the library: where it is and what is wrong, in one line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class LoadedItem:
    """One item file or package, with its model when the file passed the schema."""

    source: Path  # the YAML file: the item itself, or the package's task.yaml
    package_dir: Path | None
    folder_type: str | None  # the content type its location implies (content/<type>/...)
    item: ContentItem | None = None

    @property
    def display(self) -> str:
        return display_path(self.source)

    @property
    def name(self) -> str:
        """The name the item's id must equal: the file stem, or the package folder's name."""
        return self.package_dir.name if self.package_dir else self.source.stem


@dataclass
class Library:
    """Everything found under one path, and the problems met while loading it."""

    root: Path
    items: list[LoadedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def valid(self) -> Iterator[tuple[LoadedItem, ContentItem]]:
        for loaded in self.items:
            if loaded.item is not None:
                yield loaded, loaded.item


def default_root() -> Path:
    """The repository's content/ directory (``ASSAY_CONTENT_DIR`` overrides it)."""
    return get_settings().content_dir


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies under it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(absolute)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects duplicate mapping keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class ContentFileError(Exception):
    """A content file that cannot be read as a YAML mapping."""


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping; raises ContentFileError with the line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentFileError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ContentFileError(f"invalid YAML: {where}{exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise ContentFileError(f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentFileError("must be a YAML mapping of fields")
    return cast(dict[str, Any], data)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("options", 2, "rationale")`` -> ``options[2].rationale``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(item)"


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def schema_messages(error: ValidationError) -> list[str]:
    """One ``field: what is wrong`` line per pydantic error."""
    messages = []
    for detail in error.errors(include_url=False):
        where = field_path(detail["loc"])
        kind = detail["type"]
        if kind == "missing":
            what = "missing"
        elif kind == "extra_forbidden":
            what = "unknown field"
        else:
            what = detail["msg"].removeprefix("Value error, ")
            shown = detail.get("input")
            if kind not in {"value_error", "assertion_error"} and _is_scalar(shown):
                text = repr(shown)
                what += f" (got {text if len(text) <= 60 else text[:57] + '...'})"
        messages.append(f"{where}: {what}")
    return messages


def find_content_root(path: Path) -> Path | None:
    """The nearest folder named ``content`` at or above ``path`` (the library's root)."""
    absolute = path.resolve()
    for candidate in (absolute, *absolute.parents):
        if candidate.name == "content" and candidate.is_dir():
            return candidate
    return None


def folder_type_of(location: Path, root: Path | None) -> str | None:
    """The content type implied by ``content/<type>/...``, or None outside a library layout."""
    if root is None:
        return None
    try:
        relative = location.resolve().relative_to(root)
    except ValueError:
        return None
    first = relative.parts[0] if relative.parts else ""
    return first if first in CONTENT_TYPES else None


def discover(path: Path) -> tuple[list[tuple[Path, Path | None]], list[Problem]]:
    """Item sources under ``path``: (YAML file, package folder or None), in a stable order."""
    path = path.resolve()
    problems: list[Problem] = []
    if path.is_file():
        package = path.parent if path.name == PACKAGE_FILE else None
        return [(path, package)], problems
    if not path.is_dir():
        return [], [Problem(display_path(path), "no such file or directory")]
    if (path / PACKAGE_FILE).is_file():
        return [(path / PACKAGE_FILE, path)], problems
    sources: list[tuple[Path, Path | None]] = []
    root = find_content_root(path)
    for directory, subdirs, files in os.walk(path):
        here = Path(directory)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_")))
        if here != path and PACKAGE_FILE in files:
            sources.append((here / PACKAGE_FILE, here))
            subdirs[:] = []  # a package's own files (tests, mutants) are not items
            continue
        if here == root:
            # content/README.md and the like are not items; unknown folders are typos.
            for unknown in (d for d in subdirs if d not in CONTENT_TYPES):
                problems.append(
                    Problem(
                        display_path(here / unknown),
                        f"unknown content folder (expected one of {', '.join(CONTENT_TYPES)})",
                    )
                )
            subdirs[:] = [d for d in subdirs if d in CONTENT_TYPES]
            continue
        kind = folder_type_of(here, root)
        for name in sorted(files):
            if not name.endswith(ITEM_SUFFIXES) or name.startswith("."):
                continue
            if kind in PACKAGE_TYPES:
                problems.append(
                    Problem(
                        display_path(here / name),
                        f"{kind} items are folders: content/{kind}/<id>/task.yaml",
                    )
                )
                continue
            sources.append((here / name, None))
    return sources, problems


def load_item(
    source: Path, package_dir: Path | None, root: Path | None
) -> tuple[LoadedItem, list[Problem]]:
    """Read and schema-check one item file or package's task.yaml."""
    location = package_dir if package_dir is not None else source
    loaded = LoadedItem(source, package_dir, folder_type_of(location.parent, root))
    where = loaded.display
    try:
        data = read_yaml(source)
    except OSError as exc:
        return loaded, [Problem(where, f"cannot read: {exc.strerror}")]
    except ContentFileError as exc:
        return loaded, [Problem(where, str(exc))]
    model, messages = validate_item(data, is_package=package_dir is not None)
    loaded.item = model
    return loaded, [Problem(where, message) for message in messages]


def validate_item(
    data: dict[str, Any], *, is_package: bool
) -> tuple[ContentItem | None, list[str]]:
    """Pick the model by ``type`` and validate; returns the model or ``field: what`` messages."""
    declared = data.get("type")
    if declared is None:
        return None, ["type: missing"]
    if declared not in MODEL_BY_TYPE:
        return None, [f"type: must be one of {', '.join(CONTENT_TYPES)} (got {declared!r})"]
    content_type = cast(ContentType, declared)
    if (content_type in PACKAGE_TYPES) != is_package:
        shape = "a folder with task.yaml" if content_type in PACKAGE_TYPES else "a single file"
        return None, [f"type: a {content_type} item must be {shape}"]
    try:
        model = MODEL_BY_TYPE[content_type].model_validate(data)
    except ValidationError as exc:
        return None, schema_messages(exc)
    return cast(ContentItem, model), []


def load_library(path: Path | None = None) -> Library:
    """Load every item under ``path`` (default: the repository's content/ directory)."""
    target = (path or default_root()).resolve()
    library = Library(root=target)
    sources, library.problems = discover(target)
    root = find_content_root(target)
    for source, package_dir in sources:
        loaded, problems = load_item(source, package_dir, root)
        library.items.append(loaded)
        library.problems.extend(problems)
    return library
