"""The content validator: one precise message per broken rule, and a clean pass on good content."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from assay.content.check import check_library
from assay.content.loader import display_path

FIXTURES = Path(__file__).parents[2] / "fixtures" / "content"
GOOD = FIXTURES / "good" / "content"
BAD = FIXTURES / "bad" / "content"


def choice_item(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "sql-read-committed-update",
        "version": 1,
        "type": "choice",
        "mode": "single",
        "skills": ["sql", "concurrency"],
        "subskills": ["sql.isolation"],
        "difficulty": "medium",
        "difficulty_prior": 0.0,
        "expected_seconds": 60,
        "stem": "Which isolation level does PostgreSQL use by default?",
        "options": [
            {"id": "a", "text": "READ COMMITTED", "correct": True, "rationale": "The default."},
            {"id": "b", "text": "REPEATABLE READ", "correct": False, "rationale": "Opt-in."},
            {"id": "c", "text": "SERIALIZABLE", "correct": False, "rationale": "Opt-in too."},
        ],
    }
    item.update(changes)
    return item


def free_text_item(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load((GOOD / "free_text" / "fx-design-rate-limiter.yaml").read_text())
    data["id"] = "design-limiter"
    data.update(changes)
    return dict(data)


def write_choice(root: Path, item: dict[str, Any], *, folder: str | None = None) -> Path:
    path = root / "choice" / (folder or item["skills"][0]) / f"{item['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(item, sort_keys=False))
    return path


def write_free_text(root: Path, item: dict[str, Any]) -> Path:
    path = root / "free_text" / f"{item['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(item, sort_keys=False))
    return path


def messages(root: Path) -> list[str]:
    return [problem.message for problem in check_library(root, run_packages=False).problems]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    return root


def test_good_fixture_library_has_no_problems() -> None:
    report = check_library(GOOD, run_packages=False)
    assert report.problems == []
    assert report.checked == 6
    assert report.ok


def test_missing_rationale_names_file_and_field(library: Path) -> None:
    item = choice_item()
    del item["options"][2]["rationale"]
    path = write_choice(library, item)
    report = check_library(library, run_packages=False)
    assert [str(p) for p in report.problems] == [
        f"{display_path(path)}: options[2].rationale: missing"
    ]


def test_unknown_field_is_reported(library: Path) -> None:
    item = choice_item()
    item["options"][0]["rationnale"] = "typo"
    write_choice(library, item)
    assert messages(library) == ["options[0].rationnale: unknown field"]


def test_blank_text_is_reported(library: Path) -> None:
    item = choice_item(stem="   \n")
    write_choice(library, item)
    assert messages(library) == ["stem: must not be empty"]


def test_control_characters_are_reported(library: Path) -> None:
    item = choice_item()
    item["options"][1]["text"] = "REPEATABLE\x0bREAD"
    write_choice(library, item)
    assert messages(library) == ["options[1].text: contains the control character U+000B"]


def test_out_of_range_values_are_reported(library: Path) -> None:
    write_choice(library, choice_item(expected_seconds=10, difficulty_prior=4))
    assert messages(library) == [
        "difficulty_prior: Input should be less than or equal to 3 (got 4)",
        "expected_seconds: Input should be greater than or equal to 20 (got 10)",
    ]


def test_unknown_skill_id(library: Path) -> None:
    write_choice(library, choice_item(skills=["sql", "kubernetes"]))
    assert messages(library) == [
        'skills[1]: unknown skill id "kubernetes" (see assay.content.skills)'
    ]


def test_subskill_must_roll_up_to_a_listed_skill(library: Path) -> None:
    write_choice(library, choice_item(subskills=["security.authz"]))
    assert messages(library) == [
        'subskills[0]: "security.authz" rolls up to "security", which is not in skills '
        "['sql', 'concurrency']"
    ]


def test_malformed_subskill(library: Path) -> None:
    write_choice(library, choice_item(subskills=["isolation"]))
    assert messages(library) == [
        'subskills[0]: "isolation" is not "<skill-id>.<name>" with a known skill id and a '
        "kebab-case name"
    ]


def test_single_mode_needs_exactly_one_key(library: Path) -> None:
    item = choice_item()
    item["options"][1]["correct"] = True
    write_choice(library, item)
    assert messages(library) == ["options: mode single needs exactly one correct option, found 2"]


def test_multiple_mode_needs_a_key_and_a_distractor(library: Path) -> None:
    item = choice_item(mode="multiple", stem="Which apply? Select all that apply.")
    for option in item["options"]:
        option["correct"] = True
    write_choice(library, item)
    assert messages(library) == [
        "options: mode multiple needs at least one incorrect option, all are correct"
    ]


def test_multiple_mode_stem_says_select_all(library: Path) -> None:
    item = choice_item(mode="multiple")
    write_choice(library, item)
    assert messages(library) == [
        'stem: mode multiple must tell the candidate "Select all that apply."'
    ]


def test_option_count_bounds(library: Path) -> None:
    item = choice_item()
    item["options"] = item["options"][:2]
    write_choice(library, item)
    assert messages(library) == [
        "options: List should have at least 3 items after validation, not 2"
    ]


def test_option_ids_in_order(library: Path) -> None:
    item = choice_item()
    item["options"][2]["id"] = "d"
    write_choice(library, item)
    assert messages(library) == ['options[2].id: expected "c", got "d"']


def test_duplicate_option_texts(library: Path) -> None:
    item = choice_item()
    item["options"][2]["text"] = "  read committed "
    write_choice(library, item)
    assert messages(library) == ["options[2].text: duplicates options[0].text"]


def test_primary_skill_must_match_folder(library: Path) -> None:
    write_choice(library, choice_item(), folder="concurrency")
    assert messages(library) == [
        'skills[0]: primary skill "sql" does not match the folder "concurrency" '
        "(content/choice/<primary-skill>/<id>.yaml)"
    ]


def test_id_must_match_file_name(library: Path) -> None:
    path = write_choice(library, choice_item())
    path.rename(path.with_name("other-name.yaml"))
    assert messages(library) == [
        'id: "sql-read-committed-update" does not match the file name "other-name"'
    ]


def test_ids_unique_across_types(library: Path) -> None:
    first = write_choice(library, choice_item())
    second = write_free_text(library, free_text_item(id="sql-read-committed-update"))
    report = check_library(library, run_packages=False)
    assert [str(p) for p in report.problems] == sorted(
        [
            f'{display_path(first)}: id: "sql-read-committed-update" is also used by '
            f"{display_path(second)}",
            f'{display_path(second)}: id: "sql-read-committed-update" is also used by '
            f"{display_path(first)}",
        ]
    )


def test_yaml_syntax_error_gives_line(library: Path) -> None:
    path = library / "choice" / "sql" / "broken.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("id: broken\noptions: [a, b\n")
    assert messages(library) == [
        "invalid YAML: line 3, column 1: expected ',' or ']', but got '<stream end>'"
    ]


def test_duplicate_yaml_key(library: Path) -> None:
    path = library / "choice" / "sql" / "dup.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("id: dup\nid: dup\n")
    assert messages(library) == ["invalid YAML: line 2, column 1: duplicate key 'id'"]


def test_wrong_type_folder_and_unknown_folder(library: Path) -> None:
    write_free_text(library, free_text_item())
    moved = library / "choice" / "system-design" / "design-limiter.yaml"
    moved.parent.mkdir(parents=True)
    (library / "free_text" / "design-limiter.yaml").rename(moved)
    (library / "quizzes").mkdir()
    report = check_library(library, run_packages=False)
    assert [str(p) for p in report.problems] == [
        f'{display_path(moved)}: type: "free_text" item found under content/choice/',
        f"{display_path(library / 'quizzes')}: unknown content folder "
        "(expected one of choice, coding, sql, code_review, free_text)",
    ]


def test_rubric_levels_scored_in_order(library: Path) -> None:
    item = free_text_item()
    item["rubric"][1]["levels"][2]["score"] = 3
    write_free_text(library, item)
    assert messages(library) == [
        "rubric[1].levels[2].score: expected 2 (scores run 0..3 in order), got 3",
    ]


def test_rubric_level_count_and_descriptor(library: Path) -> None:
    item = free_text_item()
    item["rubric"][0]["levels"] = item["rubric"][0]["levels"][:2]
    item["rubric"][2]["levels"][1]["descriptor"] = ""
    write_free_text(library, item)
    assert messages(library) == [
        "rubric[0].levels: List should have at least 3 items after validation, not 2",
        "rubric[2].levels[1].descriptor: must not be empty",
    ]


def test_rubric_criterion_ids_unique_and_word_range(library: Path) -> None:
    item = free_text_item(expected_words=[900, 300])
    item["rubric"][2]["id"] = "algorithm"
    write_free_text(library, item)
    assert messages(library) == [
        "expected_words: the minimum 900 must be below the maximum 300",
        'rubric[2].id: duplicate criterion id "algorithm"',
    ]


def copy_review(library: Path) -> Path:
    target = library / "code_review" / "fx-review-order-export"
    shutil.copytree(GOOD / "code_review" / "fx-review-order-export", target)
    return target


def edit_review(folder: Path, edit: Any) -> None:
    data = yaml.safe_load((folder / "task.yaml").read_text())
    edit(data)
    (folder / "task.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_defect_lines_must_be_in_hunks(library: Path) -> None:
    folder = copy_review(library)

    def edit(data: dict[str, Any]) -> None:
        data["defects"][5]["lines"] = [14, 17]  # the test file's hunk covers new lines 1..15

    edit_review(folder, edit)
    assert messages(library) == [
        "defects[5].lines: 14..17 of tests/test_exports.py are not all in the diff's hunks "
        "(not shown: 16-17)"
    ]


def test_defect_file_must_be_in_diff(library: Path) -> None:
    folder = copy_review(library)

    def edit(data: dict[str, Any]) -> None:
        data["defects"][0]["file"] = "app/export.py"

    edit_review(folder, edit)
    assert messages(library) == [
        'defects[0].file: "app/export.py" is not a NEW-side file of change.diff '
        "(files: app/exports.py, tests/test_exports.py)"
    ]


def test_defect_categories_and_count(library: Path) -> None:
    folder = copy_review(library)

    def edit(data: dict[str, Any]) -> None:
        for defect in data["defects"]:
            defect["category"] = "security"

    edit_review(folder, edit)
    assert messages(library) == [
        "defects: need at least 2 different categories, found only ['security']"
    ]


def test_diff_length_and_hunk_counts(library: Path) -> None:
    folder = copy_review(library)
    diff = folder / "change.diff"
    lines = diff.read_text().splitlines()
    # Drop the last body line: the hunk header now over-counts and line 15 is no longer shown.
    diff.write_text("\n".join(lines[:-1]) + "\n")
    problems = check_library(library, run_packages=False).problems
    assert [str(p) for p in problems] == [
        f"{display_path(diff)}: line 82: hunk header says -5 +15 lines but the hunk has -5 +14",
        f"{display_path(folder / 'task.yaml')}: defects[5].lines: 13..15 of "
        "tests/test_exports.py are not all in the diff's hunks (not shown: 15)",
    ]


def test_short_single_file_diff(library: Path) -> None:
    folder = copy_review(library)
    diff = folder / "change.diff"
    diff.write_text("\n".join(diff.read_text().splitlines()[:80]) + "\n")
    found = messages(library)
    assert "is 80 lines long; a review change must be 80..300 lines" not in found
    assert "changes 1 file(s); a review change spans several files" in found
    assert any(m.startswith("defects[5].file:") for m in found)


def test_bad_fixture_examples_each_report(tmp_path: Path) -> None:
    report = check_library(BAD, run_packages=False)
    by_file = {Path(p.path).name: p.message for p in report.problems}
    assert by_file == {
        "sql-no-rationale.yaml": "options[1].rationale: missing",
        "sql-two-keys.yaml": "options: mode single needs exactly one correct option, found 2",
        "design-levels-gap.yaml": (
            "rubric[0].levels[2].score: expected 2 (scores run 0..2 in order), got 3"
        ),
    }
    assert not report.ok


def test_single_item_path_is_checked_alone() -> None:
    path = GOOD / "choice" / "sql" / "fx-sql-isolation-single.yaml"
    report = check_library(path, run_packages=False)
    assert report.checked == 1
    assert report.ok


def test_package_dir_path_is_checked_alone() -> None:
    report = check_library(GOOD / "code_review" / "fx-review-order-export", run_packages=False)
    assert report.checked == 1
    assert report.ok


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    report = check_library(tmp_path / "nope", run_packages=False)
    assert [p.message for p in report.problems] == ["no such file or directory"]


def test_no_run_notes_skipped_packages() -> None:
    report = check_library(GOOD, run_packages=False)
    assert report.skipped == ["sandbox checks of 2 coding/SQL package(s) skipped (--no-run)"]


def test_choice_item_helper_is_valid(library: Path) -> None:
    # Guards every test above: the base item must be valid, so each test sees only its change.
    write_choice(library, copy.deepcopy(choice_item()))
    assert messages(library) == []
