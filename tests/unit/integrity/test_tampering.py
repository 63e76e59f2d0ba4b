"""References to the test framework in solutions: found in code, never in comments or strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.config import get_settings
from assay.integrity.tampering import MAX_EXCERPT, Finding, framework_references

FILE = {"python": "solution.py", "node": "solution.js", "java": "Solution.java"}

# (language, code, what the finding says): each on its own line of an otherwise ordinary file.
PATTERNS = [
    ("python", "import pytest", "imports pytest"),
    ("python", "import _pytest.runner as runner", "imports _pytest.runner"),
    ("python", "from _pytest.reports import TestReport", "imports from _pytest.reports"),
    ("python", "from unittest import mock", "imports from unittest"),
    ("python", "from unittest.mock import patch", "imports from unittest.mock"),
    ("python", "import builtins", "imports builtins"),
    ("python", "plugin = __import__('_pytest')", "imports _pytest dynamically"),
    ("python", "sys.modules['pytest'] = fake", "writes to sys.modules"),
    ("python", "del sys.modules['unittest']", "writes to sys.modules"),
    ("python", "sys.modules.update(fakes)", "writes to sys.modules (update)"),
    ("python", "sys.modules = {}", "replaces sys.modules"),
    ("python", "os._exit(0)", "calls os._exit"),
    ("python", "from os import _exit", "imports os._exit"),
    ("python", "__import__('os')._exit(0)", "calls os._exit"),
    ("python", "builtins.print = quiet", "patches builtins.print"),
    ("python", "setattr(builtins, 'open', fake_open)", "patches builtins"),
    ("python", "__builtins__['len'] = fake_len", "patches __builtins__"),
    ("python", "open('/tmp/report.xml', 'w').write(xml)", "opens the test report path"),
    ("python", "Path(f'/tmp/report-{n}.json').unlink()", "opens the test report path"),
    ("python", "os.remove('out/junit.xml')", "opens the test report path"),
    ("node", "const test = require('node:test');", "requires node:test"),
    ("node", "import { mock } from 'node:test';", "imports node:test"),
    ("node", "const runner = await import('node:test');", "requires node:test"),
    ("node", "const assert = require('assert');", "requires assert"),
    ("node", "import strict from 'node:assert/strict';", "imports node:assert/strict"),
    ("node", "process.exit(0);", "calls process.exit"),
    ("node", "process.reallyExit(0);", "calls process.reallyExit"),
    ("node", "process.on('exit', () => report());", "listens for process 'exit'"),
    ("node", "process.once('beforeExit', flush);", "listens for process 'beforeExit'"),
    ("node", "assert.deepStrictEqual = () => {};", "patches assert"),
    ("node", "Object.defineProperty(assert, 'ok', { value: () => {} });", "patches assert"),
    ("node", "process.exit = () => {};", "patches process.exit"),
    ("java", "import org.junit.jupiter.api.Assertions;", "imports org.junit.jupiter.api"),
    ("java", "import static org.junit.Assert.*;", "imports org.junit.Assert"),
    ("java", "import org.opentest4j.AssertionFailedError;", "imports org.opentest4j"),
]

JAVA_BODY = [
    ("System.exit(0);", "calls System.exit"),
    ("Runtime.getRuntime().halt(0);", "calls Runtime.getRuntime().halt"),
    ("Runtime.getRuntime().exit(1);", "calls Runtime.getRuntime().exit"),
    ("org.junit.jupiter.api.Assertions.fail();", "refers to org.junit.jupiter.api.Assertions"),
]

# Ordinary code around the pattern, so the finding's line is not simply the first one.
PRELUDE = {
    "python": "import os\nimport sys\n\n",
    "node": "'use strict';\nconst fs = require('node:fs');\n\n",
    "java": "package app;\n\nimport java.util.List;\n",
}


def _only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize(("language", "code", "what"), PATTERNS)
def test_each_pattern_is_found_on_its_line(language: str, code: str, what: str) -> None:
    source = PRELUDE[language] + code + "\n"
    finding = _only(framework_references({FILE[language]: source}, language))
    assert finding.file == FILE[language]
    assert finding.line == 4
    assert what in finding.what
    assert finding.excerpt == code


@pytest.mark.parametrize(("statement", "what"), JAVA_BODY)
def test_java_calls_that_end_the_run_are_found(statement: str, what: str) -> None:
    source = f"class Solution {{\n    void run() {{\n        {statement}\n    }}\n}}\n"
    finding = _only(framework_references({"Solution.java": source}, "java"))
    assert (finding.line, finding.excerpt) == (3, statement)
    assert what in finding.what


@pytest.mark.parametrize(
    ("language", "source"),
    [
        (
            "python",
            "# import pytest; os._exit(0); sys.modules['x'] = 1\n"
            "def f():\n"
            '    """Unlike pytest, never calls os._exit or opens /tmp/report.xml."""\n'
            "    print('import _pytest', \"builtins.print = None\")\n"
            "    return {'/tmp/report.xml': 'junit'}\n",
        ),
        (
            "node",
            "// const t = require('node:test'); process.exit(0);\n"
            "/* process.on('exit', f); assert.ok = 1; */\n"
            "const note = \"require('node:test') then process.exit(0)\";\n"
            "const tpl = `import x from 'node:assert'`;\n"
            "console.log('process.exit', note, tpl);\n",
        ),
        (
            "java",
            "// import org.junit.Test; System.exit(0);\n"
            "/** Calls Runtime.getRuntime().halt(0) never; see org.opentest4j. */\n"
            "class Solution {\n"
            '    String a = "System.exit(0)";\n'
            '    String b = "import org.junit.jupiter.api.Assertions;";\n'
            "}\n",
        ),
    ],
)
def test_the_same_words_in_comments_and_strings_are_not_found(language: str, source: str) -> None:
    assert framework_references({FILE[language]: source}, language) == []


def test_only_the_languages_source_files_are_read() -> None:
    files = {"NOTES.md": "import pytest\nos._exit(0)\n", "data.json": '{"x": "process.exit(0)"}'}
    assert framework_references(files, "python") == []
    assert framework_references({"query.sql": "select 1"}, "sql") == []


def test_a_file_that_does_not_parse_gives_nothing() -> None:
    assert framework_references({"broken.py": "import pytest\ndef (:\n"}, "python") == []


def test_findings_are_in_file_and_line_order_with_short_excerpts() -> None:
    long_line = "os._exit(0); " + "x = 1; " * 40
    files = {"b.py": "import pytest\n", "a.py": f"import os\n{long_line}\nimport _pytest\n"}
    found = framework_references(files, "python")
    assert [(f.file, f.line) for f in found] == [("a.py", 2), ("a.py", 3), ("b.py", 1)]
    assert len(found[0].excerpt) == MAX_EXCERPT
    assert found[0].excerpt.startswith("os._exit(0)")


def _references() -> list[tuple[str, Path]]:
    root = Path(get_settings().content_dir) / "coding"
    return sorted((p.parent.name, p) for p in root.glob("*/*/reference"))


def test_the_librarys_reference_solutions_have_no_findings() -> None:
    references = _references()
    assert {language for language, _path in references} == {"python", "node", "java"}
    for language, path in references:
        files = {str(f.relative_to(path)): f.read_text() for f in path.rglob("*") if f.is_file()}
        assert files, path
        assert framework_references(files, language) == [], path
