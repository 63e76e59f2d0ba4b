"""`assay grade --json`: the JSON shape other components rely on, and clean failures."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.cli import main

ROOT = Path(__file__).resolve().parents[4]
SQL_TASK = ROOT / "content/sql/top-customers-window"
BUCKET = ROOT / "content/coding/token-bucket-rate-limiter"


@pytest.mark.sandbox
def test_json_shape_for_a_sql_file():
    result = CliRunner().invoke(
        main,
        ["grade", "--task", str(SQL_TASK), "--solution", str(SQL_TASK / "reference.sql"), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"task", "score", "verdict", "tests"}
    assert report["task"] == "top-customers-window"
    assert report["score"] == 1.0
    assert report["verdict"] == "accepted"
    for test in report["tests"]:
        assert set(test) == {"name", "weight", "verdict", "passed", "message"}
        assert test["passed"] is True


@pytest.mark.sandbox
def test_single_file_becomes_the_solution_file(tmp_path):
    mine = tmp_path / "my_answer.py"
    mine.write_text((BUCKET / "python/mutants/off-by-one-capacity/rate_limiter.py").read_text())
    result = CliRunner().invoke(
        main,
        ["grade", "--task", str(BUCKET), "--solution", str(mine), "--suite", "sample", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "wrong_answer"
    assert 0 < report["score"] < 1


def test_bad_package_is_a_clear_error(tmp_path):
    (tmp_path / "task.yaml").write_text("type: essay\n")
    result = CliRunner().invoke(
        main, ["grade", "--task", str(tmp_path), "--solution", str(tmp_path / "task.yaml")]
    )
    assert result.exit_code == 1
    assert "type must be 'coding' or 'sql'" in result.output
    assert "Traceback" not in result.output


def test_wrong_language_is_a_clear_error():
    result = CliRunner().invoke(
        main,
        [
            "grade",
            "--task",
            str(BUCKET),
            "--solution",
            str(SQL_TASK / "reference.sql"),
            "--language",
            "java",
        ],
    )
    assert result.exit_code == 1
    assert "accepts python, not 'java'" in result.output
