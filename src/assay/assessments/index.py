"""The content index: every valid library item as a small record, loaded once per process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from assay.config import get_settings
from assay.content.loader import Library, load_library
from assay.content.schemas import (
    ChoiceItem,
    CodeReviewTask,
    CodingTaskMeta,
    ContentItem,
    FreeTextTask,
    SqlTaskMeta,
)

# Work samples measure a skill by their very form, whether or not the author listed it:
# writing code is coding, a query task is SQL, reviewing a change is technical leadership.
IMPLICIT_SKILL = {"coding": "coding", "sql": "sql", "code_review": "leadership"}
# The grading engine's language names as recruiters choose them for coding tasks.
CODING_LANGUAGES = ("python", "node", "java")


@dataclass(frozen=True)
class IndexedItem:
    """What assembly needs to know of one item: kind, skills, difficulty, time, languages."""

    id: str
    version: int
    kind: str  # choice | coding | sql | code_review | free_text
    skills: tuple[str, ...]
    difficulty: str
    seconds: int  # the author's expected time
    languages: tuple[str, ...]  # coding tasks: the languages it can be taken in
    item: ContentItem
    package_dir: Path | None = None

    @property
    def primary_skill(self) -> str:
        return self.skills[0]

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    def measures(self, skill: str) -> bool:
        return skill in self.skills or IMPLICIT_SKILL.get(self.kind) == skill


@dataclass(frozen=True)
class ContentIndex:
    """The library as assembly sees it, in a stable order (by id)."""

    items: tuple[IndexedItem, ...]
    by_id: dict[str, IndexedItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {item.id: item for item in self.items})

    def get(self, item_id: str) -> IndexedItem | None:
        return self.by_id.get(item_id)


def index_item(item: ContentItem, package_dir: Path | None = None) -> IndexedItem:
    """One library item as an index record."""
    languages: tuple[str, ...] = ()
    if isinstance(item, ChoiceItem):
        seconds = item.expected_seconds
    elif isinstance(item, CodingTaskMeta):
        seconds = item.expected_minutes * 60
        languages = tuple(lang for lang in item.languages if lang in CODING_LANGUAGES)
    elif isinstance(item, SqlTaskMeta | CodeReviewTask | FreeTextTask):
        seconds = item.expected_minutes * 60
    else:  # pragma: no cover - ContentItem is a closed union
        raise TypeError(f"unknown content item {type(item).__name__}")
    return IndexedItem(
        id=item.id,
        version=item.version,
        kind=item.type,
        skills=tuple(item.skills),
        difficulty=item.difficulty,
        seconds=seconds,
        languages=languages,
        item=item,
        package_dir=package_dir,
    )


def build_index(library: Library) -> ContentIndex:
    records = [index_item(item, loaded.package_dir) for loaded, item in library.valid()]
    return ContentIndex(items=tuple(sorted(records, key=lambda r: r.id)))


_lock = threading.Lock()
_cache: dict[Path, ContentIndex] = {}


def get_content_index(root: Path | None = None) -> ContentIndex:
    """The index of the content library, read from disk once per process and root."""
    target = (root or get_settings().content_dir).resolve()
    with _lock:
        if target not in _cache:
            _cache[target] = build_index(load_library(target))
        return _cache[target]


def clear_content_index() -> None:
    """Forget the cached index (after the library changed on disk)."""
    with _lock:
        _cache.clear()
