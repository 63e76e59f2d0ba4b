"""Library statistics: JSON shape and counts over the fixture library."""

from __future__ import annotations

from pathlib import Path

from assay.content.loader import load_library
from assay.content.skills import SKILL_IDS
from assay.content.stats import library_stats

GOOD = Path(__file__).parents[2] / "fixtures" / "content" / "good" / "content"


def test_counts_every_listed_skill() -> None:
    figures = library_stats(load_library(GOOD)).as_json()
    assert set(figures) == {"by_type", "by_skill", "by_difficulty", "by_language"}
    assert figures["by_type"] == {
        "choice": 2,
        "coding": 1,
        "sql": 1,
        "code_review": 1,
        "free_text": 1,
    }
    assert set(figures["by_skill"]) == SKILL_IDS
    nonzero = {skill: n for skill, n in figures["by_skill"].items() if n}
    assert nonzero == {
        "sql": 2,
        "concurrency": 2,
        "python": 3,
        "coding": 1,
        "system-design": 1,
        "performance": 1,
        "leadership": 1,
        "security": 1,
    }
    assert figures["by_difficulty"] == {"easy": 1, "medium": 4, "hard": 1}
    assert figures["by_language"] == {"node": 1, "python": 1, "sqlite": 1}


def test_primary_only_counts_first_skill() -> None:
    figures = library_stats(load_library(GOOD), primary_only=True)
    nonzero = {skill: n for skill, n in figures.by_skill.items() if n}
    assert nonzero == {
        "sql": 2,
        "concurrency": 1,
        "system-design": 1,
        "coding": 1,
        "leadership": 1,
    }
    assert sum(figures.by_skill.values()) == sum(figures.by_type.values())


def test_invalid_items_are_not_counted(tmp_path: Path) -> None:
    broken = tmp_path / "content" / "free_text" / "broken.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("id: broken\ntype: free_text\n")
    figures = library_stats(load_library(tmp_path / "content"))
    assert figures.not_counted == 1
    assert sum(figures.by_type.values()) == 0
