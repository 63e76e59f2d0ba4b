"""``assay content``: exit codes and output formats through the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from assay.cli import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "content"
GOOD = FIXTURES / "good" / "content"
BAD = FIXTURES / "bad" / "content"


def test_check_good_library_exits_zero() -> None:
    result = CliRunner().invoke(main, ["content", "check", str(GOOD), "--no-run"])
    assert result.exit_code == 0, result.output
    assert "checked 6 item(s)" in result.output


def test_check_bad_library_exits_one_with_a_line_per_problem() -> None:
    result = CliRunner().invoke(main, ["content", "check", str(BAD), "--no-run"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 3
    assert any(
        line.endswith("sql-no-rationale.yaml: options[1].rationale: missing") for line in lines
    )


def test_check_json_report() -> None:
    result = CliRunner().invoke(main, ["content", "check", str(BAD), "--json", "--no-run"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["checked"] == 3
    assert {"path", "message"} <= set(report["problems"][0])
    assert len(report["problems"]) == 3


def test_check_one_item_file(tmp_path: Path) -> None:
    item = tmp_path / "content" / "choice" / "sql" / "fx-sql-isolation-single.yaml"
    item.parent.mkdir(parents=True)
    shutil.copy(GOOD / "choice" / "sql" / item.name, item)
    result = CliRunner().invoke(main, ["content", "check", str(item), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "checked": 1, "problems": [], "skipped": []}


def test_stats_json_and_primary() -> None:
    every = CliRunner().invoke(main, ["content", "stats", str(GOOD), "--json"])
    primary = CliRunner().invoke(main, ["content", "stats", str(GOOD), "--json", "--primary"])
    assert every.exit_code == primary.exit_code == 0
    assert json.loads(every.stdout)["by_skill"]["python"] == 3
    assert json.loads(primary.stdout)["by_skill"]["python"] == 0
