"""Hostile programs against the sandbox: each ends with the right verdict and nothing escapes."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assay.grading.sandbox import Limits, RunRequest, RunResult, Sandbox, Verdict
from assay.grading.sandbox.runner import SLOT_UID_BASE
from tests.sandbox_traces import assert_slot_left_nothing, leftover_processes

pytestmark = pytest.mark.sandbox

SLOT = 901  # a slot of our own, so leftovers found by uid are this module's
UID = SLOT_UID_BASE + SLOT
TIGHT = Limits(
    cpu_seconds=1.0,
    wall_seconds=2.0,
    memory_mb=64,
    pids=32,
    output_bytes=64 << 10,
    file_size_mb=4,
    tmp_mb=8,
)


def slot_processes() -> list[int]:
    return leftover_processes({UID})


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    Sandbox.check()
    return Sandbox(slot=SLOT)


@pytest.fixture(autouse=True)
def machine_unchanged(sandbox: Sandbox) -> Iterator[None]:
    """After every hostile run: no process, cgroup or work directory of the slot is left."""
    yield
    assert_slot_left_nothing(SLOT)


def python(
    sandbox: Sandbox, code: str, *, limits: Limits = TIGHT, stdin: bytes = b"", **files: bytes
) -> RunResult:
    return sandbox.run(
        RunRequest(
            argv=["/usr/bin/python3", "-B", "main.py"],
            files={"main.py": textwrap.dedent(code).encode(), **files},
            stdin=stdin,
            limits=limits,
        )
    )


def lines(result: RunResult) -> list[str]:
    return result.stdout.decode().split()


# --- processes and threads -------------------------------------------------------------------


def test_fork_bomb_is_stopped_by_the_time_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
        """,
    )
    assert result.verdict is Verdict.TIME_LIMIT


def test_forking_stops_at_the_pids_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import os, time
        children = 0
        while True:
            try:
                pid = os.fork()
            except OSError as error:
                print(children, error.errno)
                break
            if pid == 0:
                time.sleep(100)
                os._exit(0)
            children += 1
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    children, error_number = map(int, lines(result))
    assert children < TIGHT.pids
    assert error_number == errno.EAGAIN


def test_thread_bomb_stops_at_the_pids_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import threading, time
        started = 0
        try:
            while True:
                threading.Thread(target=time.sleep, args=(100,), daemon=True).start()
                started += 1
        except RuntimeError:
            print(started)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    assert int(result.stdout) < TIGHT.pids


def test_memory_bomb_is_a_memory_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        hoard = []
        while True:
            hoard.append(bytearray(1 << 20))
        """,
    )
    assert result.verdict is Verdict.MEMORY_LIMIT, result
    assert result.peak_memory_kb >= (TIGHT.memory_mb << 10) * 0.9


def test_busy_loop_in_several_threads_is_a_time_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import multiprocessing, threading
        def spin():
            while True:
                pass
        for _ in range(3):
            threading.Thread(target=spin, daemon=True).start()
        for _ in range(2):
            multiprocessing.Process(target=spin, daemon=True).start()
        spin()
        """,
        limits=Limits(cpu_seconds=1.0, wall_seconds=10.0, memory_mb=128, pids=32),
    )
    # The wall clock (10 s) is far away: the CPU total across processes is what stopped it.
    assert result.verdict is Verdict.TIME_LIMIT, result
    assert "CPU" in result.message


def test_sleeping_forever_is_a_wall_time_limit(sandbox: Sandbox) -> None:
    result = python(sandbox, "import time\ntime.sleep(1000)\n")
    assert result.verdict is Verdict.TIME_LIMIT
    assert "wall-clock" in result.message


def test_reading_stdin_forever_sees_end_of_file(sandbox: Sandbox) -> None:
    result = python(
        sandbox, "import sys\nprint(len(sys.stdin.buffer.read()))\n", stdin=b"x" * 300_000
    )
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == ["300000"]


def test_ignoring_a_large_stdin_does_not_block_the_host(sandbox: Sandbox) -> None:
    result = python(sandbox, "print('done')\n", stdin=b"y" * (4 << 20))
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == ["done"]


def test_a_daemon_does_not_outlive_the_run(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for fd in (0, 1, 2):
                    os.close(fd)
                time.sleep(60)
            os._exit(0)
        print("parent exits")
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    # machine_unchanged: no process of the slot's uid survives on the host.


def test_killing_the_parent_and_everyone_else_only_reaches_the_sandbox(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        f"""
        import os, signal
        try:
            os.kill({os.getpid()}, 0)
            print("host-visible")
        except OSError as error:
            print(error.errno)
        for target in (os.getppid(), 1, -1):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError:
                pass
        print("alive")
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    # The test process's pid does not exist in the sandbox's pid namespace.
    assert lines(result) == [str(errno.ESRCH), "alive"]


# --- files and output ------------------------------------------------------------------------


def test_writing_a_huge_file_stops_at_the_file_size_limit(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        with open("/tmp/huge", "wb") as huge:
            for _ in range(1024):
                huge.write(b"z" * (1 << 20))
        """,
        limits=Limits(cpu_seconds=2, wall_seconds=3, memory_mb=64, file_size_mb=4, tmp_mb=32),
    )
    assert result.verdict is Verdict.RUNTIME_ERROR  # Python ignores SIGXFSZ and raises EFBIG
    assert b"File too large" in result.stderr


@pytest.mark.parametrize("directory", ["/tmp", "/dev/shm"])
def test_filling_a_temporary_directory_stops_at_its_size(sandbox: Sandbox, directory: str) -> None:
    result = python(
        sandbox,
        f"""
        import errno
        written = 0
        try:
            for n in range(1000):
                with open(f"{directory}/f{{n}}", "wb") as part:
                    part.write(b"z" * (1 << 20))
                written += 1
        except OSError as error:
            print(written, error.errno)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    written, error_number = map(int, lines(result))
    assert written <= TIGHT.tmp_mb
    assert error_number == errno.ENOSPC


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_printing_100_mb_is_an_output_limit(sandbox: Sandbox, stream: str) -> None:
    result = python(
        sandbox,
        f"""
        import sys
        chunk = b"o" * (1 << 20)
        for _ in range(100):
            sys.{stream}.buffer.write(chunk)
        """,
    )
    assert result.verdict is Verdict.OUTPUT_LIMIT
    assert len(getattr(result, stream)) == TIGHT.output_bytes


def test_the_report_pipe_is_fd_3_and_capped(sandbox: Sandbox) -> None:
    result = python(sandbox, "import os\nos.write(3, b'<testsuite/>')\n")
    assert result.verdict is Verdict.ACCEPTED
    assert result.report == b"<testsuite/>"


def test_the_program_holds_only_its_three_streams_and_the_report_pipe(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import os
        for descriptor in range(1024):
            try:
                os.fstat(descriptor)
                print(descriptor)
            except OSError:
                pass
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == ["0", "1", "2", "3"]


def test_a_program_that_cannot_be_started_is_the_sandboxs_error_not_the_candidates(
    sandbox: Sandbox,
) -> None:
    result = sandbox.run(RunRequest(argv=["/usr/bin/no-such-runtime"], files={}, limits=TIGHT))
    assert result.verdict is Verdict.SANDBOX_ERROR
    assert "cannot execute /usr/bin/no-such-runtime" in result.message


def test_the_work_directory_is_read_only(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import os
        attempts = [
            lambda: open("/box/main.py", "a"),
            lambda: os.unlink("/box/data.txt"),
            lambda: os.symlink("/etc/shadow", "/box/data2.txt"),
            lambda: os.rename("/box/data.txt", "/box/moved.txt"),
            lambda: open("/new-file", "w"),
            lambda: open("/usr/lib/planted", "w"),
        ]
        for attempt in attempts:
            try:
                attempt()
                print("written")
            except OSError as error:
                print(error.errno)
        """,
        **{"data.txt": b"task data"},
    )
    assert result.verdict is Verdict.ACCEPTED
    # Appending to a root-owned file is refused by its mode first; the mount refuses every change.
    assert lines(result) == [str(errno.EACCES)] + [str(errno.EROFS)] * 5


def test_symlinks_planted_for_the_host_are_never_followed(sandbox: Sandbox, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("host data")
    result = python(
        sandbox,
        f"""
        import os
        for path in ("/tmp/link", "/box/link", "/dev/shm/link"):
            try:
                os.symlink("{victim}", path)
                print("linked", path)
            except OSError as error:
                print(error.errno)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    # Only the private tmpfs could hold a link; it vanished with the run and the host never read it.
    assert (victim / "keep.txt").read_text() == "host data"


# --- secrets of the host ---------------------------------------------------------------------


def test_host_files_are_not_visible(sandbox: Sandbox, tmp_path: Path) -> None:
    token = secrets.token_hex(16)
    database = tmp_path / "assay.db"
    database.write_text(f"password-hash {token}")
    database.chmod(0o644)  # readable by anyone on the host: only the mount namespace hides it
    hidden = tmp_path / "hidden-tests" / "test_hidden.py"
    hidden.parent.mkdir()
    hidden.write_text(f"# {token}")
    other = Path("/dev/shm") / f"assay-run-other-{token}"
    other.mkdir()
    try:
        (other / "solution.py").write_text(token)
        result = python(
            sandbox,
            f"""
            import os
            paths = ["/etc/shadow", "{database}", "{hidden}"]
            for path in paths + ["{other}/solution.py", "/root/.profile"]:
                try:
                    print(open(path).read())
                except OSError as error:
                    print(error.errno)
            print(len(os.listdir("/tmp")), len(os.listdir("/dev/shm")))
            """,
        )
    finally:
        (other / "solution.py").unlink()
        other.rmdir()
    assert result.verdict is Verdict.ACCEPTED
    assert token not in result.stdout.decode()
    assert lines(result) == [str(errno.ENOENT)] * 5 + ["0", "0"]


def test_the_servers_environment_is_not_visible(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = secrets.token_hex(16)
    monkeypatch.setenv("ASSAY_TEST_SECRET", token)
    result = python(
        sandbox,
        """
        import os
        print(sorted(os.environ))
        for pid in [p for p in os.listdir("/proc") if p.isdigit()] + [str(os.getppid())]:
            try:
                with open(f"/proc/{pid}/environ", "rb") as environ:
                    print(pid, environ.read())
            except OSError as error:
                print(pid, error.errno)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    output = result.stdout.decode()
    assert token not in output
    assert "ASSAY_TEST_SECRET" not in output
    assert output.splitlines()[0] == "['HOME', 'LANG', 'PATH', 'PWD']"
    assert "1 b''" in output  # pid 1 (bubblewrap's reaper) was readable, and empty


# --- network ---------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [("127.0.0.1", 5432), ("127.0.0.1", 6379), ("1.1.1.1", 53)])
def test_no_tcp_connection_leaves_the_sandbox(sandbox: Sandbox, address: tuple[str, int]) -> None:
    result = python(
        sandbox,
        f"""
        import socket
        try:
            connection = socket.create_connection({address!r}, timeout=1)
            print("connected")
        except OSError as error:
            print(error.errno)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == [str(errno.EAFNOSUPPORT)]


def test_the_postgresql_unix_socket_is_not_reachable(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import socket
        client = socket.socket(socket.AF_UNIX)
        try:
            client.connect("/var/run/postgresql/.s.PGSQL.5432")
            print("connected")
        except OSError as error:
            print(error.errno)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == [str(errno.ENOENT)]


def test_the_network_namespace_has_only_loopback(sandbox: Sandbox) -> None:
    # /proc/net shows the reader's network namespace (netlink sockets are refused by seccomp).
    result = python(
        sandbox,
        "devices = open('/proc/net/dev').readlines()[2:]\n"
        "print(sorted(line.split(':')[0].strip() for line in devices))\n",
    )
    assert result.verdict is Verdict.ACCEPTED
    assert result.stdout.decode().strip() == "['lo']"


# --- system calls ----------------------------------------------------------------------------


def test_dangerous_system_calls_are_denied(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def call(name, *args):
            result = getattr(libc, name)(*args)
            print(name, result, ctypes.get_errno() if result == -1 else 0)
        call("ptrace", 0, 0, None, None)                        # PTRACE_TRACEME
        call("unshare", 0x10000000)                             # CLONE_NEWUSER
        call("mount", b"none", b"/tmp", b"tmpfs", 0, None)
        call("syscall", 425, 1, None)                           # io_uring_setup
        call("syscall", 321, 0, None, 0)                        # bpf
        call("syscall", 250, 0, 0, 0, 0, 0)                     # keyctl
        call("setns", 0, 0)
        """,
    )
    assert result.verdict is Verdict.ACCEPTED, result
    outcomes = {
        name: int(code)
        for name, _, code in (line.split() for line in result.stdout.decode().splitlines())
    }
    assert outcomes == {
        "ptrace": errno.EPERM,
        "unshare": errno.EPERM,
        "mount": errno.EPERM,
        "syscall": outcomes["syscall"],  # the last of the three raw calls, checked below
        "setns": errno.EPERM,
    }
    raw = [line for line in result.stdout.decode().splitlines() if line.startswith("syscall")]
    assert [int(line.split()[2]) for line in raw] == [errno.ENOSYS, errno.EPERM, errno.EPERM]


def test_the_program_runs_as_the_slots_unprivileged_uid(sandbox: Sandbox) -> None:
    result = python(
        sandbox,
        "import os\nprint(os.getuid(), os.geteuid(), os.getgid(), os.getgroups())\n"
        "print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])\n",
    )
    assert result.verdict is Verdict.ACCEPTED
    assert result.stdout.decode().splitlines() == [f"{UID} {UID} {UID} []", "0000000000000000"]


def test_the_program_has_its_own_session_and_no_terminal(sandbox: Sandbox) -> None:
    sessions: set[int] = set()
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            python,
            sandbox,
            """
            import errno, time
            try:
                open("/dev/tty", "rb")
                print("terminal")
            except OSError as error:
                print(errno.errorcode[error.errno])
            time.sleep(1)
            """,
        )
        while not running.done():
            for pid in slot_processes():
                with contextlib.suppress(ProcessLookupError):
                    sessions.add(os.getsid(pid))
        result = running.result()
    assert result.verdict is Verdict.ACCEPTED
    assert lines(result) == ["ENXIO"]
    assert sessions
    assert os.getsid(0) not in sessions
