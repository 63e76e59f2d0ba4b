"""The sandbox's host-side parts on their own: work directory, trampoline, limits, languages."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from assay.grading.sandbox import Limits, layout
from assay.grading.sandbox.forkserver import FAILURE_FD, ORDERS_FD
from assay.grading.sandbox.languages import java_command, limits_for, program_request
from assay.grading.sandbox.sqlite_driver import statements
from assay.grading.sandbox.workdir import WorkDir

GID = 61999


@pytest.mark.parametrize("name", ["/etc/passwd", "../escape.py", "a/../../b", "", "a//b", "./x"])
def test_file_names_must_stay_inside_the_work_directory(name: str) -> None:
    with pytest.raises(ValueError, match="plain relative path"):
        WorkDir.create({name: b"x"}, gid=GID)


def test_the_work_directory_is_private_and_read_only_to_the_sandbox() -> None:
    workdir = WorkDir.create({"pkg/main.py": b"print(1)\n"}, gid=GID)
    try:
        root = workdir.root.lstat()
        assert (root.st_uid, root.st_gid, stat.S_IMODE(root.st_mode)) == (0, GID, 0o750)
        source = (workdir.box / "pkg" / "main.py").lstat()
        assert (source.st_uid, stat.S_IMODE(source.st_mode)) == (0, 0o644)
        assert (workdir.box / "pkg" / "main.py").read_bytes() == b"print(1)\n"
    finally:
        workdir.remove()
    assert not workdir.root.exists()


def test_removing_the_work_directory_never_follows_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("host data")
    workdir = WorkDir.create({"main.py": b""}, gid=GID)
    os.symlink(victim, workdir.box / "link")
    os.symlink(victim / "keep.txt", workdir.box / "file-link")
    workdir.remove()
    assert not workdir.root.exists()
    assert (victim / "keep.txt").read_text() == "host data"


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=0)


def test_java_gets_room_for_its_threads_and_a_class_named_after_the_file() -> None:
    assert limits_for("java", Limits(pids=32)).pids == 128
    assert limits_for("python", Limits(pids=32)).pids == 32
    script = java_command("Solution.java", 256)[-1]
    assert "-Xmx256m" in script
    assert script.rstrip().endswith("-cp /tmp/classes Solution")
    with pytest.raises(ValueError, match="named after its class"):
        java_command("main.py", 256)


def test_node_heap_follows_the_memory_limit() -> None:
    request = program_request("node", "main.js", b"", stdin=b"", limits=Limits(memory_mb=200))
    assert "--max-old-space-size=200" in request.argv


def test_sqlite_statements_split_outside_strings_only() -> None:
    script = "CREATE TABLE t(a);\nINSERT INTO t VALUES ('x;y');\n-- done\nSELECT a FROM t"
    assert [s.strip() for s in statements(script)] == [
        "CREATE TABLE t(a);",
        "INSERT INTO t VALUES ('x;y');",
        "-- done\nSELECT a FROM t;",
    ]


def run_trampoline(orders: bytes) -> subprocess.CompletedProcess[bytes]:
    """The trampoline as the sandbox starts it, on its own (our own trusted commands only)."""
    orders_r, orders_w = os.pipe()
    failure_r, failure_w = os.pipe()
    try:
        os.write(orders_w, orders)
        os.close(orders_w)

        def place() -> None:
            os.dup2(orders_r, ORDERS_FD)
            os.dup2(failure_w, FAILURE_FD)

        completed = subprocess.run(
            layout.trampoline(),
            preexec_fn=place,
            close_fds=False,  # it would close what place() put on 6 and 7 (ours are close-on-exec)
            capture_output=True,
            env={},
            check=False,
        )
        os.close(failure_w)
        failure_w = -1
        completed.stderr += b"|failure:" + os.read(failure_r, 4096)
        return completed
    finally:
        for descriptor in (orders_r, failure_r, failure_w):
            if descriptor >= 0:
                os.close(descriptor)


def test_the_trampoline_runs_the_exact_command_line_environment_and_limits(
    tmp_path: Path,
) -> None:
    arguments = ["a b", "it's", "two\nlines", "$HOME", "`x`", "\\", "-n", ""]
    script = (
        'printf "%s|" "$@"; echo; env | sort | tr "\\n" " "; echo; pwd; '
        "ulimit -t; ulimit -H -t; ulimit -f; ulimit -n; ls /proc/self/fd | tr '\\n' ' '"
    )
    limits = Limits(cpu_seconds=2.5, file_size_mb=3, open_files=40)
    orders = layout.orders(
        argv=["/bin/sh", "-c", script, "sh", *arguments],
        env={"EXTRA": "x y'z"},
        cwd=str(tmp_path),
        limits=limits,
    )
    completed = run_trampoline(orders)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.decode().split("\n")
    assert lines[0] == "a b|it's|two"
    assert lines[1] == "lines|$HOME|`x`|\\|-n||"
    assert lines[2].split() == [
        "EXTRA=x",
        "y'z",
        "HOME=/tmp",
        "LANG=C.UTF-8",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        f"PWD={tmp_path}",
    ]
    assert lines[3:8] == [str(tmp_path), "3", "4", str(3 * 2048), "40"]
    # The orders and failure pipes are closed before the program starts.
    assert {str(ORDERS_FD), str(FAILURE_FD)}.isdisjoint(lines[8].split())


def test_the_trampoline_reports_a_program_it_cannot_start() -> None:
    completed = run_trampoline(
        layout.orders(argv=["/nonexistent/program"], env={}, cwd="/", limits=Limits())
    )
    assert completed.returncode == 127
    assert completed.stderr.endswith(b"|failure:cannot execute /nonexistent/program\n")


def test_the_trampoline_ends_without_running_anything_when_its_orders_are_empty() -> None:
    completed = run_trampoline(b"")
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, b"", b"|failure:")


@pytest.mark.parametrize(
    ("argv", "env"),
    [([], {}), (["-c"], {}), (["/bin/true"], {"A-B": "1"}), (["/bin/true"], {"A": "\0"})],
)
def test_orders_refuse_what_a_shell_could_misread(argv: list[str], env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="invalid"):
        layout.orders(argv=argv, env=env, cwd="/box", limits=Limits())
