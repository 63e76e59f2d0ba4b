"""Node and the JVM in the sandbox: they start, their bombs end in the right verdict; the CLI."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from assay.grading.cli import sandbox as sandbox_cli
from assay.grading.sandbox import Limits, RunRequest, RunResult, Sandbox, Verdict
from assay.grading.sandbox.languages import program_request, program_verdict, python_command
from assay.grading.sandbox.runner import SLOT_UID_BASE
from tests.sandbox_traces import assert_slot_left_nothing

pytestmark = pytest.mark.sandbox

SLOT = 902
UID = SLOT_UID_BASE + SLOT
# Roomy times: javac alone takes about a CPU second, and CI machines are shared.
LIMITS = Limits(cpu_seconds=5.0, wall_seconds=12.0, memory_mb=256, pids=64, output_bytes=64 << 10)


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    Sandbox.check()
    return Sandbox(slot=SLOT)


@pytest.fixture(autouse=True)
def machine_unchanged(sandbox: Sandbox) -> Iterator[None]:
    yield
    assert_slot_left_nothing(SLOT)


def run(
    sandbox: Sandbox, language: str, name: str, code: str, limits: Limits = LIMITS
) -> RunResult:
    request = program_request(
        language, name, textwrap.dedent(code).encode(), stdin=b"", limits=limits
    )
    return sandbox.run(request)


def test_node_starts_and_reads_stdin(sandbox: Sandbox) -> None:
    request = program_request(
        "node",
        "main.js",
        b"let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(s.trim().length))",
        stdin=b"hello world\n",
        limits=LIMITS,
    )
    result = sandbox.run(request)
    assert result.verdict is Verdict.ACCEPTED, result
    assert result.stdout == b"11\n"


def test_node_memory_bomb_is_a_memory_limit(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "node",
        "main.js",
        """
        const hoard = [];
        while (true) hoard.push(new Array(1 << 20).fill(1.5));
        """,
    )
    assert result.verdict is Verdict.MEMORY_LIMIT, result


def test_node_fork_bomb_stops_at_the_pids_limit(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "node",
        "main.js",
        """
        const { spawn } = require('child_process');
        let children = 0;
        function more() {
          const child = spawn('/bin/sleep', ['100']);
          child.on('spawn', () => { children += 1; more(); });
          child.on('error', (error) => { console.log(children, error.code); process.exit(0); });
        }
        more();
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    children, code = result.stdout.decode().split()
    assert int(children) < LIMITS.pids
    assert code == "EAGAIN"


def test_java_compiles_and_runs(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "java",
        "Main.java",
        """
        public class Main {
            public static void main(String[] args) {
                System.out.println("hello " + Runtime.getRuntime().availableProcessors());
            }
        }
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    assert result.stdout.startswith(b"hello ")


def test_a_javac_failure_is_a_compile_error(sandbox: Sandbox) -> None:
    result = run(sandbox, "java", "Main.java", "public class Main { void broken( }\n")
    assert program_verdict("java", result) is Verdict.COMPILE_ERROR
    assert b"error" in result.stderr


def test_a_program_cannot_claim_a_compile_error(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "java",
        "Main.java",
        """
        import java.io.*;
        public class Main {
            public static void main(String[] args) throws Exception {
                try (FileOutputStream report = new FileOutputStream("/proc/self/fd/3")) {
                    report.write("assay:compile_error\\n".getBytes());
                }
            }
        }
        """,
    )
    assert program_verdict("java", result) is Verdict.RUNTIME_ERROR


def test_java_memory_bomb_is_a_memory_limit(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "java",
        "Main.java",
        """
        import java.util.*;
        public class Main {
            public static void main(String[] args) {
                List<long[]> hoard = new ArrayList<>();
                while (true) hoard.add(new long[1 << 17]);
            }
        }
        """,
    )
    assert result.verdict is Verdict.MEMORY_LIMIT, result.stderr


def test_java_thread_bomb_stops_at_the_pids_limit(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "java",
        "Main.java",
        """
        public class Main {
            public static void main(String[] args) {
                int started = 0;
                try {
                    while (true) {
                        Thread t = new Thread(() -> {
                            try { Thread.sleep(100_000); } catch (InterruptedException e) { }
                        });
                        t.setDaemon(true);
                        t.start();
                        started++;
                    }
                } catch (OutOfMemoryError e) {
                    System.out.println(started);
                    System.exit(0);
                }
            }
        }
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    # The JVM logs its failed pthread_create to stdout first; the count is the last line.
    assert 0 < int(result.stdout.split()[-1]) < 128  # languages.JAVA_MIN_PIDS


def test_java_fork_bomb_stops_at_the_pids_limit(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "java",
        "Main.java",
        """
        import java.util.*;
        public class Main {
            public static void main(String[] args) {
                List<Process> children = new ArrayList<>();
                try {
                    while (true) children.add(new ProcessBuilder("/bin/sleep", "100").start());
                } catch (Exception e) {
                    System.out.println(children.size());
                    System.exit(0);
                }
            }
        }
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    assert 0 < int(result.stdout) < 128


def test_sqlite_runs_through_the_python_driver(sandbox: Sandbox) -> None:
    result = run(
        sandbox,
        "sqlite",
        "query.sql",
        """
        CREATE TABLE candidate (name TEXT, score INTEGER);
        INSERT INTO candidate VALUES ('Ada', 9), ('Linus; Torvalds', NULL);
        SELECT name, score FROM candidate ORDER BY name;
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    assert result.stdout == b"Ada|9\nLinus; Torvalds|NULL\n"


def test_cli_prints_one_json_object(sandbox: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "main.py"
    source.write_text("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n")
    stdin = tmp_path / "input.txt"
    stdin.write_text("20 22\n")
    outcome = CliRunner().invoke(
        sandbox_cli,
        ["run", "--language", "python", "--source", str(source), "--stdin", str(stdin), "--json"],
    )
    assert outcome.exit_code == 0, outcome.output
    summary = json.loads(outcome.output)
    assert set(summary) == {
        "verdict",
        "exit_code",
        "signal",
        "stdout",
        "stderr",
        "cpu_seconds",
        "wall_seconds",
        "peak_memory_kb",
    }
    assert (summary["verdict"], summary["stdout"], summary["exit_code"]) == ("accepted", "42\n", 0)


def test_cli_reports_a_time_limit(sandbox: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "spin.py"
    source.write_text("while True:\n    pass\n")
    outcome = CliRunner().invoke(
        sandbox_cli,
        ["run", "--language", "python", "--source", str(source), "--time-limit", "0.5", "--json"],
    )
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.output)["verdict"] == "time_limit"


def test_debians_pytest_runs_with_the_python_command_line(sandbox: Sandbox) -> None:
    # Why not -S: it hides /usr/lib/python3/dist-packages, where Debian's pytest lives.
    request = RunRequest(
        argv=[*python_command("-m"), "pytest", "-q", "-p", "no:cacheprovider", "test_task.py"],
        files={"test_task.py": b"def test_passes():\n    assert 2 + 2 == 4\n"},
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        limits=LIMITS,
    )
    result = sandbox.run(request)
    assert result.verdict is Verdict.ACCEPTED, result.stdout + result.stderr
    assert b"1 passed" in result.stdout
