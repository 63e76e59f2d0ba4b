"""Sandbox checks of coding packages through the real grading engine and sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assay.content.check import check_library

PACKAGE = (
    Path(__file__).parents[2] / "fixtures" / "content" / "packages" / "content" / "coding"
) / "fx-add-ints"

pytestmark = pytest.mark.sandbox


def variant(library: Path, name: str) -> Path:
    target = library / "coding" / name
    shutil.copytree(PACKAGE, target)
    task = target / "task.yaml"
    task.write_text(task.read_text().replace("id: fx-add-ints", f"id: {name}"))
    return target


def test_package_checks_report_each_misbehaving_solution(tmp_path: Path) -> None:
    library = tmp_path / "content"
    variant(library, "good")
    weak_mutant = variant(library, "weak-mutant")
    shutil.copy(
        weak_mutant / "python" / "reference" / "adder.py",
        weak_mutant / "python" / "mutants" / "minus" / "adder.py",
    )
    broken = variant(library, "broken-reference")
    (broken / "python" / "reference" / "adder.py").write_text(
        "def add(a: int, b: int) -> int:\n    return a * b\n"
    )
    shutil.copy(
        PACKAGE / "python" / "reference" / "adder.py", broken / "python" / "starter" / "adder.py"
    )
    (variant(library, "no-statement") / "statement.md").unlink()

    report = check_library(library, workers=2)

    by_package = {}
    for problem in report.problems:
        by_package.setdefault(Path(problem.path).parent.name, []).append(problem.message)
    assert "good" not in by_package
    assert by_package["weak-mutant"] == [
        "python/mutants/minus: passes every hidden test; a mutant must fail at least one"
    ]
    broken_messages = by_package["broken-reference"]
    assert len(broken_messages) == 3
    assert broken_messages[0].startswith("python/reference: fails hidden test(s) ")
    assert broken_messages[1].startswith("python/reference: fails sample test(s) ")
    assert broken_messages[2].startswith("python/starter: passes hidden test(s) ")
    assert broken_messages[2].endswith("the starter must fail every hidden test")
    assert len(by_package["no-statement"]) == 1
    assert by_package["no-statement"][0].startswith("package: statement.md: ")
    assert report.skipped == []


def test_sql_reference_must_run(tmp_path: Path) -> None:
    source = PACKAGE.parents[1] / "sql" / "fx-sql-big-orders"
    target = tmp_path / "content" / "sql" / "fx-sql-big-orders"
    shutil.copytree(source, target)
    assert check_library(target).problems == []
    (target / "reference.sql").write_text("SELEC id FROM orders;\n")
    messages = [p.message for p in check_library(target).problems]
    # The wording after "reference.sql:" is the engine's; we own the attribution.
    assert len(messages) == 1
    assert messages[0].startswith("reference.sql: ")
    assert "syntax error" in messages[0]
