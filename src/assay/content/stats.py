"""Counts over the library for ``assay content stats``: by type, skill, difficulty, language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from assay.content.loader import Library
from assay.content.schemas import (
    CONTENT_TYPES,
    DIFFICULTIES,
    CodingTaskMeta,
    ContentItem,
    SqlTaskMeta,
)
from assay.content.skills import SKILLS


@dataclass(frozen=True)
class LibraryStats:
    """The four tallies; every skill id, type and difficulty is present, zero or not."""

    by_type: dict[str, int]
    by_skill: dict[str, int]
    by_difficulty: dict[str, int]
    by_language: dict[str, int]
    not_counted: int  # items that failed the schema, so cannot be classified

    def as_json(self) -> dict[str, dict[str, int]]:
        return {
            "by_type": self.by_type,
            "by_skill": self.by_skill,
            "by_difficulty": self.by_difficulty,
            "by_language": self.by_language,
        }


def languages_of(item: ContentItem) -> list[str]:
    """Coding tasks count once per allowed language, SQL tasks once under their dialect."""
    if isinstance(item, CodingTaskMeta):
        return list(dict.fromkeys(item.languages))
    if isinstance(item, SqlTaskMeta):
        return [item.dialect]
    return []


def library_stats(library: Library, *, primary_only: bool = False) -> LibraryStats:
    """Tally the valid items; ``primary_only`` counts an item under its first skill alone."""
    by_type: Counter[str] = Counter(dict.fromkeys(CONTENT_TYPES, 0))
    by_skill: Counter[str] = Counter({skill.id: 0 for skill in SKILLS})
    by_difficulty: Counter[str] = Counter(dict.fromkeys(DIFFICULTIES, 0))
    by_language: Counter[str] = Counter()
    for _, item in library.valid():
        by_type[item.type] += 1
        skills = item.skills[:1] if primary_only else list(dict.fromkeys(item.skills))
        by_skill.update(skills)
        by_difficulty[item.difficulty] += 1
        by_language.update(languages_of(item))
    return LibraryStats(
        by_type=dict(by_type),
        by_skill=dict(by_skill),
        by_difficulty=dict(by_difficulty),
        by_language=dict(sorted(by_language.items())),
        not_counted=sum(1 for loaded in library.items if loaded.item is None),
    )
