"""`assay similarity DIR --language L [--template FILE] --json`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assay.cli import main
from tests.unit.integrity.samples import DISGUISES, INDEPENDENT, ORIGINAL
from tests.unit.integrity.test_similarity_engine import (
    SOLUTION_BY_LOOP,
    SOLUTION_BY_SUMS,
    TEMPLATE,
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["similarity", *args])
    return result.exit_code, result.output


def write(directory: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def test_json_lists_pairs_with_relative_paths_sorted_by_similarity(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "alice/solution.py": ORIGINAL,
            "bob/solution.py": DISGUISES["renamed identifiers and changed literals"],
            "carol/solution.py": DISGUISES["inserted dead code"],
            "dave/solution.py": INDEPENDENT,
            "notes.txt": ORIGINAL,  # not Python: ignored
        },
    )
    code, output = run(str(tmp_path), "--language", "python", "--json")
    assert code == 0, output
    document = json.loads(output)
    assert set(document) == {"pairs"}
    pairs = document["pairs"]
    assert pairs
    for pair in pairs:
        assert set(pair) == {"a", "b", "similarity", "longest_fragment_tokens", "fragments"}
        assert 0 < pair["similarity"] <= 1
        assert isinstance(pair["longest_fragment_tokens"], int)
        for fragment in pair["fragments"]:
            assert set(fragment) == {"a_lines", "b_lines"}
            start, end = fragment["a_lines"]
            assert 1 <= start <= end
    scores = [pair["similarity"] for pair in pairs]
    assert scores == sorted(scores, reverse=True)
    names = {pair["a"] for pair in pairs} | {pair["b"] for pair in pairs}
    assert names <= {
        "alice/solution.py",
        "bob/solution.py",
        "carol/solution.py",
        "dave/solution.py",
    }
    top_three = {frozenset((pair["a"], pair["b"])) for pair in pairs[:3]}
    copies = {"alice/solution.py", "bob/solution.py", "carol/solution.py"}
    assert top_three == {frozenset((x, y)) for x in copies for y in copies if x < y}
    assert pairs[0]["longest_fragment_tokens"] > 20


def test_the_table_flags_the_copies(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": ORIGINAL, "b.py": DISGUISES["comments and formatting"]})
    code, output = run(str(tmp_path), "--language", "python")
    assert code == 0, output
    assert "a.py" in output
    assert "b.py" in output
    assert "*" in output  # above the estimated threshold
    assert "lines" in output


def test_template_code_is_ignored_and_the_template_is_not_a_submission(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"starter.py": TEMPLATE, "one/main.py": SOLUTION_BY_SUMS, "two/main.py": SOLUTION_BY_LOOP},
    )
    code, output = run(str(tmp_path), "--language", "python", "--json")
    assert code == 0
    assert json.loads(output)["pairs"]  # starter code alone makes them look alike
    code, output = run(
        str(tmp_path), "--language", "python", "--template", str(tmp_path / "starter.py"), "--json"
    )
    assert code == 0, output
    assert json.loads(output) == {"pairs": []}


def test_javascript_extensions_are_all_collected(tmp_path: Path) -> None:
    source = "export function area(r) {\n  const pi = 3.14159;\n  return pi * r * r;\n}\n"
    write(tmp_path, {"a.js": source, "b.mjs": source, "c.cjs": source, "d.ts": source})
    code, output = run(str(tmp_path), "--language", "node", "--json")
    assert code == 0, output
    names = {name for pair in json.loads(output)["pairs"] for name in (pair["a"], pair["b"])}
    assert names == {"a.js", "b.mjs", "c.cjs"}


def test_an_unparsable_file_does_not_crash_the_command(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "good.py": ORIGINAL,
            "copy.py": ORIGINAL.replace("def main():", "def main(:"),  # syntax error
            "binary.py": b"\x00\xff\xfe garbage \x89PNG\r\n",
            "empty.py": "",
        },
    )
    code, output = run(str(tmp_path), "--language", "python", "--json")
    assert code == 0, output
    pairs = json.loads(output)["pairs"]
    assert pairs[0]["a"] == "copy.py"
    assert pairs[0]["b"] == "good.py"
    assert pairs[0]["similarity"] > 0.8


def test_bad_input_is_refused_with_a_message(tmp_path: Path) -> None:
    code, output = run(str(tmp_path), "--language", "python", "--json")
    assert code != 0
    assert "no .py files" in output
    code, output = run(str(tmp_path / "missing"), "--language", "python")
    assert code != 0
    assert "does not exist" in output
    code, output = run(str(tmp_path), "--language", "cobol")
    assert code != 0
    assert "Traceback" not in output
