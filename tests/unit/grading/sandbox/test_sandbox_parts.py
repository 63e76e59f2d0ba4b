"""The sandbox's host-side parts on their own: work directory, limits, languages, SQLite driver."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from assay.grading.sandbox import Limits
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
