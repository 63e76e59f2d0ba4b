"""``assay jd analyze``: JSON and summary output, standard input, bad paths."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assay.cli import main

FLAGSHIP = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "job_descriptions"
    / "tuning"
    / "flagship-lead-back-end-engineer.txt"
)


def test_json_output_for_a_file() -> None:
    result = CliRunner().invoke(main, ["jd", "analyze", str(FLAGSHIP), "--json"])

    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["title"] == "Lead Back-End Engineer"
    assert payload["seniority"] == "lead"
    assert payload["skills"][0]["weight"] == 1.0
    original = FLAGSHIP.read_text(encoding="utf-8")
    first = payload["skills"][0]["evidence"][0]
    assert original[first["start"] : first["end"]] == first["text"]


def test_standard_input_with_a_dash() -> None:
    result = CliRunner().invoke(
        main, ["jd", "analyze", "-", "--json"], input="Python, Kafka, Postgres, k8s, Terraform, AWS"
    )

    assert result.exit_code == 0, result.output
    ids = {skill["id"] for skill in json.loads(result.output)["skills"]}
    assert ids == {"python", "messaging", "sql", "containers", "cloud"}


def test_readable_summary() -> None:
    result = CliRunner().invoke(main, ["jd", "analyze", str(FLAGSHIP)])

    assert result.exit_code == 0, result.output
    assert "Title:     Lead Back-End Engineer" in result.output
    assert "Seniority: lead" in result.output
    assert "fault-tolerance" in result.output


def test_empty_input_explains_itself() -> None:
    result = CliRunner().invoke(main, ["jd", "analyze", "-"], input="")

    assert result.exit_code == 0
    assert "The job description is empty." in result.output


def test_a_missing_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["jd", "analyze", str(tmp_path / "missing.txt")])

    assert result.exit_code == 2
    assert "No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_invalid_utf8_bytes_on_stdin() -> None:
    result = CliRunner().invoke(
        main, ["jd", "analyze", "-", "--json"], input=b"D\xe9veloppeur Python\n- Django\n"
    )

    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert any("not valid UTF-8" in message for message in payload["messages"])
    assert payload["title"] == "Développeur Python"
