"""The command line a new operator meets first: help, migrations, the demo, `make run`'s path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def assay(*args: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ASSAY_VAR_DIR": str(var_dir),
        "ASSAY_DATABASE_URL": f"sqlite:///{var_dir / 'cli.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "assay", *args], env=env, capture_output=True, text=True, check=False
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = assay("--help", var_dir=tmp_path)
    assert result.returncode == 0
    for command in ["serve", "db", "demo", "worker", "sandbox", "grade", "content"]:
        assert f"  {command} " in result.stdout, command


@pytest.mark.slow
def test_upgrade_and_demo_are_repeatable(tmp_path: Path) -> None:
    first = assay("db", "upgrade", var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert assay("db", "upgrade", var_dir=tmp_path).returncode == 0
    seeded = assay("demo", var_dir=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert "Seeded the demo organization" in seeded.stdout
    assert "owner@demo.assay.test" in seeded.stdout
    again = assay("demo", var_dir=tmp_path)
    assert "Kept the demo organization" in again.stdout
    current = assay("db", "current", var_dir=tmp_path)
    lines = dict(line.split(":", 1) for line in current.stdout.strip().splitlines())
    assert lines["current"].strip() == lines["head"].strip()


def test_user_create_org_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    assert assay("db", "upgrade", var_dir=tmp_path).returncode == 0
    result = assay(
        "user",
        "create-org",
        "--organization",
        "X",
        "--name",
        "Y",
        "--email",
        "bad",
        "--password",
        "short",
        var_dir=tmp_path,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "email" in result.stderr
