"""A slot's fork server: a small Python process that forks the launchers, so the host never forks.

Forking the grading worker itself (tens to hundreds of MB of Python heap) costs the worker a
page-table copy and then a write fault on every page it touches afterwards, and the child a
copy of every page it writes before exec: ~2 ms of CPU per run for a 48 MB host, growing with
it. This server imports nothing but the standard library, so a fork of it is cheap.

It is started by the host with ``python -I -S`` and an AF_UNIX SOCK_SEQPACKET socket on the
command line. Each message is JSON, with descriptors passed alongside (SCM_RIGHTS):

- ``{"id": I, "op": "fork", "mkdir": [...], "write": [[file, value], ...], "procs_files":
  [...], "uid": N, "rlimits": [[resource, soft, hard], ...], "argv": [...]}`` with nine
  descriptors (stdin, stdout, stderr and report ends, the seccomp filter, bubblewrap's status,
  the trampoline's orders and failure pipes, and the launcher's errors pipe): makes the run's
  cgroup directories, writes its limits and forks a launcher, which joins the cgroup, drops to
  the slot's uid and execs bubblewrap (``argv``) at once; answers ``{"id": I, "pid": P}`` (or
  ``{"id": I, "error": "..."}``, having removed what it made). The host does not wait for the
  answer: all of this happens while the host supervises the current run;
- ``{"id": I, "op": "wait", "pid": P}``: reaps that launcher (bubblewrap, once exec'd) and
  answers ``{"id": I, "status": S}`` in Popen.returncode's convention.

It exits when the host's end of the socket closes (the host exited or died); bubblewrap's
``--die-with-parent`` then takes any running sandbox with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import resource
import socket
import sys
from typing import NoReturn

# Where the launcher puts what bubblewrap and the sandbox read (the host builds bubblewrap's argv
# and the trampoline with these). The trampoline closes ORDERS_FD and FAILURE_FD before it execs
# the program, which is left with 0-2 and the report channel.
REPORT_FD = 3
SECCOMP_FD = 4
STATUS_FD = 5
ORDERS_FD = 6
FAILURE_FD = 7
# Received descriptors are first moved this high, so that placing them cannot clobber another.
PARKING_FD = 100
MESSAGE_BYTES = 1 << 16
DESCRIPTORS_PER_FORK = 9


def main() -> NoReturn:
    channel = socket.socket(fileno=int(sys.argv[1]))
    while True:
        try:
            data, descriptors, _, _ = socket.recv_fds(channel, MESSAGE_BYTES, DESCRIPTORS_PER_FORK)
        except OSError:
            os._exit(0)
        if not data:
            os._exit(0)  # the host is gone
        request = json.loads(data)
        answer: dict[str, object] = {"id": request["id"]}
        if request["op"] == "fork":
            try:
                _make_cgroup(request["mkdir"], request["write"])
            except OSError as error:
                answer["error"] = f"cannot create the run's cgroup: {error}"
            else:
                pid = os.fork()
                if pid == 0:
                    channel.close()
                    _launcher(request, descriptors)
                answer["pid"] = pid
            for descriptor in descriptors:
                os.close(descriptor)
        elif request["op"] == "wait":
            try:
                _, status = os.waitpid(request["pid"], 0)
                answer["status"] = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                answer["status"] = None
        channel.send(json.dumps(answer).encode())


def _make_cgroup(directories: list[str], writes: list[list[str]]) -> None:
    made = []
    try:
        for directory in directories:
            os.mkdir(directory, 0o755)
            made.append(directory)
        for path, value in writes:
            descriptor = os.open(path, os.O_WRONLY)
            try:
                os.write(descriptor, value.encode())
            finally:
                os.close(descriptor)
    except OSError:
        for directory in made:
            with contextlib.suppress(OSError):
                os.rmdir(directory)
        raise


def _launcher(request: dict[str, object], descriptors: list[int]) -> NoReturn:
    """The trusted launcher: join the run's cgroup, drop to the slot's uid, exec bubblewrap."""
    errors_w = -1
    try:
        parked = [_park(descriptor) for descriptor in descriptors]
        (stdin_r, stdout_w, stderr_w, report_w, seccomp_r, status_w, orders_r, failure_w,
         errors_w) = parked  # fmt: skip
        placed = {
            stdin_r: 0,
            stdout_w: 1,
            stderr_w: 2,
            report_w: REPORT_FD,
            seccomp_r: SECCOMP_FD,
            status_w: STATUS_FD,
            orders_r: ORDERS_FD,
            failure_w: FAILURE_FD,
        }
        for source, target in placed.items():
            os.dup2(source, target)  # dup2 leaves the target inheritable
        keep = {*placed.values(), errors_w}
        # Nothing else of the server (or of other runs) may stay open in this run.
        for name in os.listdir("/proc/self/fd"):
            if int(name) not in keep:
                with contextlib.suppress(OSError):
                    os.close(int(name))
        # A new session, no controlling terminal (TIOCSTI): bubblewrap's --new-session, done
        # here because bubblewrap's own setsid() cost milliseconds on a loaded machine.
        os.setsid()
        procs_files = request["procs_files"]
        assert isinstance(procs_files, list)
        for path in procs_files:
            descriptor = os.open(path, os.O_WRONLY)
            try:
                os.write(descriptor, b"0")  # "0" is the writing process itself
            finally:
                os.close(descriptor)
        rlimits = request["rlimits"]
        assert isinstance(rlimits, list)
        for limit, soft, hard in rlimits:
            resource.setrlimit(limit, (soft, hard))
        uid = request["uid"]
        assert isinstance(uid, int)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        argv = request["argv"]
        assert isinstance(argv, list)
        os.execve(argv[0], argv, {})  # noqa: S606 - bubblewrap's argv, built by the host
    except BaseException as error:  # reported to the host, then _exit
        with contextlib.suppress(BaseException):  # nothing more could be reported
            os.write(errors_w, f"{type(error).__name__}: {error}".encode())
    finally:
        os._exit(127)


def _park(descriptor: int) -> int:
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, PARKING_FD)
    os.close(descriptor)
    return moved


if __name__ == "__main__":
    main()
