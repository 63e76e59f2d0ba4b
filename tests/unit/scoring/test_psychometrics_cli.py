"""``assay psychometrics``: the calibrate JSON contract, the items report and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from assay.cli import main
from assay.scoring.responses import parse_responses_csv


def write_responses(
    path: Path, *, seed: int = 1, categories: int = 2, constant: bool = False
) -> Path:
    """150 candidates × 6 items, each candidate skipping one item (a form without it)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=150)
    lines = ["candidate,item,score"]
    for c, ability in enumerate(theta):
        skipped = c % 6
        for i in range(6):
            if i == skipped:
                continue
            spread = np.linspace(-1.0, 1.0, categories - 1) if categories > 2 else 0.0
            steps = spread + (i - 2.5) * 0.8
            at_least = 1 / (1 + np.exp(-1.2 * (ability - steps)))
            score = int((rng.random() < at_least).sum())
            if constant and i == 3:
                score = 1
            lines.append(f"cand-{c},item-{i},{score}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["psychometrics", *args])


def test_calibrate_2pl_json_shape(tmp_path: Path) -> None:
    responses = write_responses(tmp_path / "r.csv")

    result = run("calibrate", "--responses", str(responses), "--model", "2pl", "--json")

    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [set(item) for item in payload["items"]] == [{"id", "a", "b"}] * 6
    # Items keep first-seen order: cand-0's form has no item-0.
    assert [item["id"] for item in payload["items"]] == [f"item-{i}" for i in (1, 2, 3, 4, 5, 0)]
    assert len(payload["candidates"]) == 150
    assert set(payload["candidates"][0]) == {"id", "theta", "se"}
    assert all(c["se"] > 0 for c in payload["candidates"])
    assert payload["model"] == "2pl"
    assert isinstance(payload["warnings"], list)
    # Easier items (lower index) must come out with lower difficulty.
    difficulties = [item["b"] for item in sorted(payload["items"], key=lambda item: item["id"])]
    assert difficulties == sorted(difficulties)


def test_calibrate_grm_json_has_ordered_thresholds(tmp_path: Path) -> None:
    responses = write_responses(tmp_path / "r.csv", categories=4)

    result = run("calibrate", "--responses", str(responses), "--model", "grm", "--json")

    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert [set(item) for item in items] == [{"id", "a", "thresholds"}] * 6
    for item in items:
        assert len(item["thresholds"]) == 3
        assert item["thresholds"] == sorted(item["thresholds"])


def test_item_without_variance_is_reported_and_excluded(tmp_path: Path) -> None:
    responses = write_responses(tmp_path / "r.csv", constant=True)

    result = run("calibrate", "--responses", str(responses), "--model", "2pl", "--json")

    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert "item-3" not in [item["id"] for item in payload["items"]]
    assert any("item-3" in warning for warning in payload["warnings"])


def test_human_output_lists_items_and_warnings(tmp_path: Path) -> None:
    responses = write_responses(tmp_path / "r.csv", constant=True)

    result = run("calibrate", "--responses", str(responses), "--model", "2pl")

    assert result.exit_code == 0, result.output
    assert "2pl: 5 items, 150 candidates, converged" in result.output
    assert "Warning: item item-3: no variance" in result.output


@pytest.mark.parametrize(
    ("content", "model", "message"),
    [
        ("", "2pl", "the file is empty"),
        (
            "cand,item,points\nc1,q1,1\n",
            "2pl",
            "the first line must be the header candidate,item,score",
        ),
        ("c1,q1,1\nc2,q1,0\n", "2pl", "missing candidate, item, score"),
        ("candidate,item,score\n", "2pl", "no responses after the header"),
        (
            "candidate,item,score\nc1,q1,1\nc2,q1,yes\n",
            "2pl",
            "line 3: score 'yes' is not a number",
        ),
        ("candidate,item,score\nc1,q1,nan\n", "2pl", "is not a finite number"),
        ("candidate,item,score\nc1,q1,\n", "2pl", "line 2: the score is empty"),
        ("candidate,item,score\nc1,q1,2\nc2,q1,0\n", "2pl", "score 2 is not 0 or 1"),
        ("candidate,item,score\nc1,q1,1.5\nc2,q1,0\n", "grm", "not a whole number"),
        ("candidate,item,score\nc1,q1,1\nc1,q1,0\n", "2pl", "answered item 'q1' twice"),
        ("candidate,item,score\nc1,q1,1\nc2,q1,1\n", "2pl", "0 item(s) with variance"),
    ],
)
def test_bad_input_is_a_clear_error_not_a_traceback(
    tmp_path: Path, content: str, model: str, message: str
) -> None:
    responses = tmp_path / "bad.csv"
    responses.write_text(content, encoding="utf-8")

    result = run("calibrate", "--responses", str(responses), "--model", model, "--json")

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_unknown_model_are_usage_errors(tmp_path: Path) -> None:
    missing = run("calibrate", "--responses", str(tmp_path / "nope.csv"), "--model", "2pl")
    responses = write_responses(tmp_path / "r.csv")
    unknown = run("calibrate", "--responses", str(responses), "--model", "3pl")

    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    assert unknown.exit_code == 2
    assert "'3pl' is not one of '2pl', 'grm'" in unknown.output


def test_binary_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"candidate,item,score\n\x00\x01")
    latin = tmp_path / "l.csv"
    latin.write_bytes("candidate,item,score\nJosé,q1,1\n".encode("latin-1"))

    assert "binary file" in run("calibrate", "--responses", str(binary), "--model", "2pl").output
    assert "not UTF-8" in run("calibrate", "--responses", str(latin), "--model", "2pl").output


def test_items_report_json(tmp_path: Path) -> None:
    responses = tmp_path / "r.csv"
    rows = ["candidate,item,score,choice,seconds"]
    for c in range(12):
        strong = c < 6
        rows.append(f"c{c},q1,{int(strong)},{'b' if strong else 'a'},{40 + c}")
        rows.append(f"c{c},q2,{int(strong or c == 7)},,")
        rows.append(f"c{c},q3,1,,")
    responses.write_text("\n".join(rows) + "\n", encoding="utf-8")

    result = run("items", "--responses", str(responses), "--json")

    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    q1 = payload["items"][0]
    assert (q1["id"], q1["responses"], q1["p_value"]) == ("q1", 12, 0.5)
    assert q1["mean_seconds"] == pytest.approx(45.5)
    assert payload["items"][2]["discrimination"] is None  # q3 has no variance
    assert payload["distractors"][0]["item"] == "q1"
    keyed = {o["option"]: o["key"] for o in payload["distractors"][0]["options"]}
    assert keyed == {"a": False, "b": True}
    assert {"item": "q3", "code": "too_easy"}.items() <= payload["flags"][-1].items()
    assert payload["reliability"]["candidates"] == 12


def test_csv_columns_may_come_in_any_order_with_optional_ones() -> None:
    table = parse_responses_csv("score,Item,candidate,seconds\n1,q1,c1,12.5\n\n0,q2,c1,\n")

    assert table.candidates == ("c1",)
    assert table.items == ("q1", "q2")
    assert list(table.scores) == [1.0, 0.0]
    assert table.seconds[0] == 12.5
    assert np.isnan(table.seconds[1])


def test_items_report_text_lists_statistics_alpha_and_flags(tmp_path: Path) -> None:
    responses = tmp_path / "r.csv"
    rows = ["candidate,item,score,choice"]
    for c in range(10):
        rows.append(f'c{c},q1,{int(c < 5)},"{"a,b" if c < 5 else "a"}"')
        rows.append(f"c{c},q2,{int(c < 6)},")
        rows.append(f"c{c},q3,{int(c >= 8)},")
    responses.write_text("\n".join(rows) + "\n", encoding="utf-8")

    result = run("items", "--responses", str(responses))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split()[:3] == ["q1", "10", "0.50"]
    assert "Alpha " in result.output
    assert "Flag q3 [negative_discrimination]" in result.output


def test_items_report_refuses_bad_input(tmp_path: Path) -> None:
    responses = tmp_path / "r.csv"
    responses.write_text("candidate,item\nc1,q1\n", encoding="utf-8")

    result = run("items", "--responses", str(responses))

    assert result.exit_code == 1
    assert "missing score" in result.output
