"""Run one untrusted program under bubblewrap, in a fresh cgroup, with rlimits and seccomp.

Each run has a fresh sandbox, prepared before the run is asked for (the slot's **standby**):
while run *k* runs, the slot's fork server (forkserver.py) makes run *k+1*'s cgroup with run
*k*'s limits and forks a launcher that joins it, drops to the slot's uid and execs bubblewrap,
which makes the namespaces and mounts, binds an empty work directory at /box, and starts the
trampoline (layout.py), which blocks reading its orders. When run *k+1* comes:

1. its files are written into the empty work directory (workdir.py): nothing untrusted has
   run in that sandbox yet;
2. the cgroup's limits are rewritten if this run needs others, and its accounting is reset;
3. the trampoline is handed its orders (rlimits, directory, environment) and execs the
   program; the next run's standby is asked for at once, without waiting;
4. the host feeds stdin and reads stdout, stderr and the report through pipes, up to their
   caps, while a wall-clock deadline and the cgroup's CPU total are watched;
5. whatever is left in the cgroup is killed and what the kernel accounted is read; the verdict
   comes from those observations, never from the exit code alone. The empty cgroup and the
   directory are removed by the clean-up thread (cleanup.py), off the run's path.

So the program's own exec is all that is on the run's path; bubblewrap's processes, mounts and
namespaces, and the costly cgroup v1 migration, happen during the previous run.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import fcntl
import functools
import itertools
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

from assay.grading.sandbox import cgroups, cleanup, forkserver, layout
from assay.grading.sandbox.cgroups import Hierarchy, RunCgroup, Usage
from assay.grading.sandbox.model import Limits, RunRequest, RunResult, SandboxUnavailable, Verdict
from assay.grading.sandbox.seccomp import SYSTEM_PYTHON, compiled_filter
from assay.grading.sandbox.workdir import WorkDir, checked_relative
from assay.grading.sandbox.workdir import sweep as sweep_workdirs

# Slot n runs as uid/gid SLOT_UID_BASE + n: an account nothing else on the host uses.
SLOT_UID_BASE = 61000
MAX_SLOTS = 1000
# Our pipe ends are moved above this so none of them can sit on fd 3 in the launcher.
FIRST_PRIVATE_FD = 10
CPU_POLL_SECONDS = 0.05
READ_CHUNK = 1 << 16
# After bubblewrap exits, its namespace is torn down; give the pipes this long to reach EOF.
EXIT_GRACE_SECONDS = 0.5
BWRAP_DIRS = "/usr/bin:/bin:/usr/local/bin"
PR_SET_CHILD_SUBREAPER = 36
# At exit, how long to wait for finished runs' cgroups and files to be removed (see cleanup.py).
EXIT_CLEANUP_SECONDS = 10.0

_run_numbers = itertools.count()


@dataclass(frozen=True)
class _Host:
    bwrap: str
    hierarchy: Hierarchy
    seccomp_filter: bytes


@lru_cache(maxsize=1)
def _host() -> _Host:
    """What every run needs from the machine; raises SandboxUnavailable naming what is missing."""
    bwrap = shutil.which("bwrap", path=BWRAP_DIRS)
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap is not installed (apt-get install bubblewrap)")
    try:
        with open("/proc/sys/user/max_user_namespaces", encoding="ascii") as handle:
            if int(handle.read()) == 0:
                raise SandboxUnavailable(
                    "user namespaces are disabled (sysctl user.max_user_namespaces=0)"
                )
    except FileNotFoundError as error:
        raise SandboxUnavailable("this kernel has no user namespaces") from error
    if not os.access(layout.DASH, os.X_OK):
        raise SandboxUnavailable(f"{layout.DASH} is missing (apt-get install dash)")
    sweep_workdirs()
    return _Host(bwrap=bwrap, hierarchy=cgroups.detect(), seccomp_filter=compiled_filter())


_subreaper_pid = 0


def _become_subreaper() -> None:
    """Adopt orphans instead of leaving them to the host's pid 1.

    bubblewrap's monitor exits as soon as the program does, which can orphan the sandbox's
    pid-1 reaper for a moment. A container whose pid 1 does not reap would collect one zombie
    per run; as subreaper this process reaps that one process itself (see _reap_orphan).
    """
    global _subreaper_pid  # noqa: PLW0603 - a per-process fact; fork() does not inherit it
    if _subreaper_pid == os.getpid():
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        error = os.strerror(ctypes.get_errno())
        raise SandboxUnavailable(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {error}")
    _subreaper_pid = os.getpid()


def _reap_orphan(pid: int, uid: int) -> None:
    """Reap the sandbox's reaper if it was orphaned to us; never touch any other child."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
    except FileNotFoundError:
        return
    # Only we can reap our own child, so what we see here cannot change before waitpid.
    if int(fields["PPid"]) == os.getpid() and int(fields["Uid"].split()[0]) == uid:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


class Sandbox:
    """One concurrent slot: its own uid; use one instance per worker thread or process."""

    _checked: ClassVar[bool] = False

    def __init__(self, *, slot: int = 0) -> None:
        if not 0 <= slot < MAX_SLOTS:
            raise ValueError(f"slot must be in 0..{MAX_SLOTS - 1}, got {slot}")
        self.slot = slot
        self.uid = SLOT_UID_BASE + slot

    @classmethod
    def check(cls) -> None:
        """Raise SandboxUnavailable unless this machine can run sandboxed programs right now."""
        if cls._checked:
            return
        _host()
        probe = Sandbox(slot=0).run(
            RunRequest(argv=["/bin/sh", "-c", "exit 0"], files={}, limits=Limits(wall_seconds=10))
        )
        if probe.verdict is not Verdict.ACCEPTED:
            raise SandboxUnavailable(
                f"bubblewrap cannot start a sandbox here: {probe.message} "
                f"{probe.stderr.decode(errors='replace').strip()}".strip()
            )
        cls._checked = True

    def run(self, request: RunRequest) -> RunResult:
        host = _host()
        _become_subreaper()
        for name in request.files:
            checked_relative(name)  # ValueError: the caller's mistake, before anything is used
        orders = layout.orders(
            argv=request.argv, env=request.env, cwd=request.cwd, limits=request.limits
        )
        try:
            standby = _ready_standby(host, self.slot, request.limits)
        except OSError as error:
            return _sandbox_error(f"cannot prepare the run's sandbox: {error}")
        try:
            observation = _Execution(host, standby, request, orders).run()
        finally:
            # Every path, errors included: nothing of the run may outlive it.
            usage, cleanup_error = _dispose(standby.cgroup, standby.workdir)
        if cleanup_error or usage is None:
            return _sandbox_error(cleanup_error or "no accounting for the run")
        return _judge(observation, usage, request.limits)


def _dispose(cgroup: RunCgroup, workdir: WorkDir) -> tuple[Usage | None, str | None]:
    """Kill what is left and read the accounting, now; remove the cgroup and files, soon.

    The removal runs on the clean-up thread (cleanup.py), so that the kernel's cgroup_mutex,
    held by the next run's launcher while it migrates, is never waited for on the run's path.
    """
    usage: Usage | None = None
    problem = None
    try:
        cgroup.kill_all()
        usage = cgroup.usage()
    except OSError as error:
        problem = f"cannot empty the run's cgroup: {error}"
    cleanup.later(functools.partial(_remove, cgroup, workdir))
    return usage, problem


def _remove(cgroup: RunCgroup, workdir: WorkDir) -> None:
    try:
        cgroup.kill_all()  # empty already, unless emptying it failed above
        cgroup.remove()
    finally:
        workdir.remove()


@dataclass
class _Observation:
    """What the launcher saw of one run, before the kernel's accounting is read."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    report: bytearray = field(default_factory=bytearray)
    wall_seconds: float = 0.0
    exit_status: int | None = None  # what bubblewrap reported for the program (bash-style)
    setup_finished: bool = False
    stopped_for: str | None = None  # "wall", "cpu" or "output" when the host stopped the run
    launch_error: str | None = None
    bwrap_returncode: int | None = None


class _Execution:
    """One run's pipes, orders and supervision loop."""

    def __init__(self, host: _Host, standby: _Standby, request: RunRequest, orders: bytes) -> None:
        self.host = host
        self.standby = standby
        self.cgroup = standby.cgroup
        self.request = request
        self.orders = orders
        self.limits = request.limits
        self.uid = standby.uid
        self.observation = _Observation()
        self.buffers: dict[int, bytearray] = {}
        self.open_readers: set[int] = set()
        self.pending_stdin = memoryview(b"")
        self.stdin_w = -1
        self.ours = standby.ours  # pipe ends kept by the host, closed exactly once

    def close(self, descriptor: int) -> None:
        # Closing a number twice could close another thread's newly opened file: track ownership.
        self.ours.remove(descriptor)
        os.close(descriptor)

    def run(self) -> _Observation:
        standby = self.standby
        try:
            try:
                standby.workdir.fill(self.request.files)
            except OSError as error:  # e.g. a full /dev/shm: the machine's fault, worth a retry
                standby.abandon()
                self.observation.launch_error = f"cannot lay out the run's files: {error}"
                return self.observation
            started = time.monotonic()
            try:
                if _cgroup_limits(self.cgroup.limits) != _cgroup_limits(self.limits):
                    self.cgroup.set_limits(self.limits)
                self.cgroup.reset_accounting()
            except OSError as error:
                standby.abandon()
                self.observation.launch_error = f"cannot set the run's cgroup limits: {error}"
                return self.observation
            standby.launch(self.orders)
            # The next run's sandbox is prepared while this run's program runs.
            _prepare_standby(self.host, standby.slot, self.limits)
            try:
                self._supervise(
                    standby.pid,
                    started,
                    standby.stdin_w,
                    (standby.stdout_r, standby.stderr_r, standby.report_r),
                )  # which ends with everything in the cgroup killed
            except BaseException:
                self.cgroup.kill_all()
                raise
            finally:
                standby.reap()  # the fork server reaps bubblewrap while we read its reports
                if launch_error := standby.launch_error():
                    self.observation.launch_error = launch_error
                exit_status = standby.finish()
                if exit_status is not None:
                    self.observation.setup_finished = True
                    self.observation.exit_status = exit_status
                self.observation.bwrap_returncode = standby.wait()
            return self.observation
        finally:
            if not standby.waited:  # never launched: let the sandbox end, and reap it
                standby.abandon()
            standby.close_pipes()

    def _supervise(self, pid: int, started: float, stdin_w: int, readers: Sequence[int]) -> None:
        observation = self.observation
        outputs = (observation.stdout, observation.stderr, observation.report)
        self.buffers = dict(zip(readers, outputs, strict=True))
        self.open_readers = set(readers)
        self.pending_stdin = memoryview(self.request.stdin)
        self.stdin_w = stdin_w
        deadline = started + self.limits.wall_seconds
        with selectors.DefaultSelector() as selector, _pidfd(pid) as pidfd:
            selector.register(pidfd, selectors.EVENT_READ)
            for descriptor in readers:
                os.set_blocking(descriptor, False)
                selector.register(descriptor, selectors.EVENT_READ)
            if self.pending_stdin:
                os.set_blocking(stdin_w, False)
                selector.register(stdin_w, selectors.EVENT_WRITE)
            else:
                self.close(stdin_w)  # EOF at once: a program reading stdin forever sees its end
            exited_at: float | None = None
            while self.open_readers or exited_at is None:
                observation.stopped_for = self._limit_reached(deadline, exited_at)
                if observation.stopped_for or (
                    exited_at is not None and time.monotonic() > exited_at + EXIT_GRACE_SECONDS
                ):
                    break
                timeout = min(deadline - time.monotonic(), CPU_POLL_SECONDS)
                for key, _ in selector.select(max(timeout, 0)):
                    if key.fd == pidfd:
                        exited_at = time.monotonic()
                        observation.wall_seconds = exited_at - started
                        selector.unregister(pidfd)
                    elif key.fd == stdin_w:
                        self._feed(selector)
                    elif not self._drain(selector, key.fd):
                        observation.stopped_for = "output"
                        break
                if observation.stopped_for:
                    break
            if exited_at is None:
                observation.wall_seconds = time.monotonic() - started
            # Whatever is still buffered in the pipes was written within the limits: keep it.
            self.cgroup.kill_all()
            for descriptor in list(self.open_readers):
                self._drain(selector, descriptor, until_eof=True)

    def _limit_reached(self, deadline: float, exited_at: float | None) -> str | None:
        if time.monotonic() >= deadline:
            return "wall"
        # RLIMIT_CPU counts one process; the cgroup counts them all (a multi-process burner).
        if exited_at is None and self.cgroup.cpu_seconds() > self.limits.cpu_seconds:
            return "cpu"
        return None

    def _feed(self, selector: selectors.BaseSelector) -> None:
        pending = self.pending_stdin
        try:
            pending = pending[os.write(self.stdin_w, pending[:READ_CHUNK]) :]
        except BlockingIOError:
            return
        except OSError:
            pending = pending[:0]  # the program closed its stdin; the rest is not wanted
        self.pending_stdin = pending
        if not pending:
            selector.unregister(self.stdin_w)
            self.close(self.stdin_w)

    def _drain(
        self, selector: selectors.BaseSelector, descriptor: int, *, until_eof: bool = False
    ) -> bool:
        """Read what is available; False once the output cap is exceeded."""
        buffer = self.buffers[descriptor]
        cap = self.limits.output_bytes
        while True:
            try:
                chunk = os.read(descriptor, READ_CHUNK)
            except BlockingIOError:
                return True
            if not chunk:
                selector.unregister(descriptor)
                self.open_readers.discard(descriptor)
                return True
            buffer += chunk
            if len(buffer) > cap:
                del buffer[cap:]
                return False
            if not until_eof:
                return True


def _parse_status(text: str) -> tuple[int | None, int | None]:
    """(child-pid, exit-code) from bubblewrap's stream of JSON status documents."""
    reaper_pid = exit_status = None
    decoder = json.JSONDecoder()
    position = 0
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        if isinstance(document, dict) and isinstance(document.get("child-pid"), int):
            reaper_pid = document["child-pid"]
        if isinstance(document, dict) and isinstance(document.get("exit-code"), int):
            exit_status = document["exit-code"]
    return reaper_pid, exit_status


def _cgroup_limits(limits: Limits) -> tuple[int, int, float]:
    return (limits.memory_mb, limits.pids, limits.cpu_quota)


# The launcher's own rlimits, which bubblewrap and the trampoline inherit; the trampoline sets
# the run's CPU, file size and open files limits from its orders (layout.orders).
LAUNCHER_RLIMITS = [(resource.RLIMIT_CORE, 0, 0)]


class _ForkServer:
    """The host's end of one slot's fork server (see forkserver.py)."""

    def __init__(self) -> None:
        host_end, server_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                # Debian's Python, as for the seccomp filter: sys.executable may be an embedding
                # server's binary. -I -S: no environment, no site-packages; stdlib only.
                [SYSTEM_PYTHON, "-I", "-S", "-B", forkserver.__file__, str(server_end.fileno())],
                pass_fds=[server_end.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env={},
            )
        except BaseException:
            host_end.close()
            raise
        finally:
            server_end.close()
        self.channel = host_end
        self.lock = threading.Lock()
        self.numbers = itertools.count()
        self.answers: dict[int, dict[str, Any]] = {}

    def send(self, request: dict[str, object], descriptors: Sequence[int] = ()) -> int:
        """Send a request; its answer is collected later with ``answer``."""
        with self.lock:
            number = next(self.numbers)
            message = json.dumps({**request, "id": number}).encode()
            socket.send_fds(self.channel, [message], list(descriptors))
            return number

    def answer(self, number: int) -> dict[str, Any]:
        with self.lock:
            while number not in self.answers:
                data = self.channel.recv(READ_CHUNK)
                if not data:
                    raise OSError(errno.EPIPE, "the sandbox's fork server exited")
                decoded: dict[str, Any] = json.loads(data)
                self.answers[decoded["id"]] = decoded
            return self.answers.pop(number)

    def close(self) -> None:
        self.channel.close()  # the server exits at end of file
        self.process.wait()


_servers: dict[tuple[int, int], _ForkServer] = {}


def _fork_server(slot: int, *, replace: _ForkServer | None = None) -> _ForkServer:
    """The slot's fork server in this process, started on first use or after it died."""
    key = (os.getpid(), slot)
    with _standbys_lock:
        server = _servers.get(key)
        if server is not None and server is not replace:
            return server
        _servers[key] = _ForkServer()
        stale, server = server, _servers[key]
    if stale is not None:
        with contextlib.suppress(OSError):
            stale.close()
    return server


# One standby per slot and process: a Sandbox made per grading call still finds it.
_standbys: dict[tuple[int, int], _Standby] = {}
_standbys_lock = threading.Lock()


def _take_standby(slot: int) -> _Standby | None:
    with _standbys_lock:
        return _standbys.pop((os.getpid(), slot), None)


def _ready_standby(host: _Host, slot: int, limits: Limits) -> _Standby:
    """The slot's prepared sandbox, or one made now (whose failure, if any, is reported).

    A standby is used only if it was made with the same tmpfs size (bubblewrap fixes it at
    mount time) and its sandbox is still waiting; otherwise it is discarded.
    """
    standby = _take_standby(slot)
    if standby is not None:
        try:
            standby.ready()
            if standby.limits.tmp_mb == limits.tmp_mb and standby.waiting():
                return standby
            standby.discard()
        except OSError:
            pass  # prepared during the last run and failed since: make one now
    standby = _Standby(host, slot, limits)
    standby.ready()
    return standby


def _prepare_standby(host: _Host, slot: int, limits: Limits) -> None:
    """Fork the slot's next launcher now; on failure the next run makes one itself and says why."""
    try:
        standby = _Standby(host, slot, limits)
    except OSError:
        return
    with _standbys_lock:
        spare = _standbys.setdefault((os.getpid(), slot), standby)
    if spare is not standby:  # another thread ran the same slot at once (not how it is meant)
        standby.discard()


def standby_cgroups() -> dict[int, tuple[str, ...]]:
    """Standby bubblewrap pid -> its cgroup directories, for this process (for tests)."""
    with _standbys_lock:
        mine = [s for (owner, _), s in _standbys.items() if owner == os.getpid()]
    found = {}
    for standby in mine:
        with contextlib.suppress(OSError):
            standby.ready()
            found[standby.pid] = tuple(str(d) for d in standby.cgroup.directories)
    return found


def standby_workdirs() -> list[str]:
    """The prepared, still empty, work directories of this process's standbys (for tests)."""
    with _standbys_lock:
        return [
            str(standby.workdir.root)
            for (owner, _), standby in _standbys.items()
            if owner == os.getpid()
        ]


@atexit.register
def _discard_standbys() -> None:
    with _standbys_lock:
        mine = [s for (owner, _), s in _standbys.items() if owner == os.getpid()]
        _standbys.clear()
    for standby in mine:
        with contextlib.suppress(OSError):
            standby.discard()
    with _standbys_lock:
        servers = [s for (owner, _), s in _servers.items() if owner == os.getpid()]
        _servers.clear()
    for server in servers:
        with contextlib.suppress(OSError):
            server.close()
    cleanup.settle(EXIT_CLEANUP_SECONDS)


class _Standby:
    """A run's sandbox, prepared before the run is asked for, waiting for its orders.

    The slot's fork server (forkserver.py) makes the run's fresh cgroup and forks the launcher,
    the trusted half of the run: it closes every descriptor but the run's pipes, starts a new
    session, joins the cgroup (on cgroup v1 this migration takes a kernel-wide lock and waits
    for an RCU grace period: 8-15 ms on a loaded machine), drops to the slot's uid and execs
    bubblewrap, which sets up the namespaces and mounts around an empty work directory and
    starts the trampoline. Nothing of the run ever runs outside the cgroup or as root. The
    trampoline evaluates its orders (layout.orders) when the host writes them, and ends at once,
    running nothing, if the orders pipe is closed empty: the host discarded it or died.
    """

    def __init__(self, host: _Host, slot: int, limits: Limits) -> None:
        self.slot = slot
        self.uid = SLOT_UID_BASE + slot
        self.pid = 0
        self.status: int | None = None
        self.waited = False
        self.wait_request: int | None = None
        name = f"run-{os.getpid()}-{slot}-{next(_run_numbers)}"
        self.cgroup = host.hierarchy.run_cgroup(name)  # made by the fork server
        self.limits = limits
        self.ours: list[int] = []  # pipe ends kept by the host, closed exactly once
        theirs: list[int] = []  # pipe ends for the launcher, closed here once it is forked
        self.workdir = WorkDir.prepare(gid=self.uid)
        try:
            self.stdin_r, self.stdin_w = _pipe(theirs, self.ours)
            self.stdout_r, self.stdout_w = _pipe(self.ours, theirs)
            self.stderr_r, self.stderr_w = _pipe(self.ours, theirs)
            self.report_r, self.report_w = _pipe(self.ours, theirs)
            self.status_r, self.status_w = _pipe(self.ours, theirs)
            self.seccomp_r, seccomp_w = _pipe(theirs, self.ours)
            _write_all(seccomp_w, host.seccomp_filter)  # a few hundred bytes: fits the pipe
            self._close(seccomp_w)
            self.orders_r, self.orders_w = _pipe(theirs, self.ours)
            self.failure_r, self.failure_w = _pipe(self.ours, theirs)
            self.errors_r, self.errors_w = _pipe(self.ours, theirs)
            launcher_ends = [
                self.stdin_r,
                self.stdout_w,
                self.stderr_w,
                self.report_w,
                self.seccomp_r,
                self.status_w,
                self.orders_r,
                self.failure_w,
                self.errors_w,
            ]
            argv = layout.bwrap_arguments(
                bwrap=host.bwrap,
                workdir=self.workdir.root,
                etc=layout.etc_snapshot(self.uid),
                limits=limits,
                env={},
                cwd=layout.BOX,
                seccomp_fd=forkserver.SECCOMP_FD,
                status_fd=forkserver.STATUS_FD,
                argv=layout.trampoline(),
            )
            request: dict[str, object] = {
                "op": "fork",
                "mkdir": [str(directory) for directory in self.cgroup.directories],
                "write": [[str(f), value] for f, value in self.cgroup.fresh_limit_writes(limits)],
                "procs_files": list(self.cgroup.procs_files),
                "uid": self.uid,
                "rlimits": LAUNCHER_RLIMITS,
                "argv": argv,
            }
            self.server = _fork_server(slot)
            try:
                self.request = self.server.send(request, launcher_ends)
            except OSError:  # the server died since the last run: start another, once
                self.server = _fork_server(slot, replace=self.server)
                self.request = self.server.send(request, launcher_ends)
        except BaseException:
            self.close_pipes()
            self.workdir.remove()
            raise
        finally:
            for descriptor in theirs:
                os.close(descriptor)

    def ready(self) -> None:
        """Wait for the fork server's answer: the cgroup is made and the launcher forked."""
        if self.pid:
            return
        try:
            answer = self.server.answer(self.request)
            if "error" in answer:
                raise OSError(errno.EIO, answer["error"])
        except BaseException:
            self.waited = True  # there is no launcher to reap
            self.close_pipes()
            self.workdir.remove()
            with contextlib.suppress(OSError):
                self.cgroup.remove()
            raise
        self.pid = int(answer["pid"])
        self.cgroup.limits = self.limits

    def waiting(self) -> bool:
        """Whether the launcher (bubblewrap, once exec'd) is still running, not a zombie."""
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii", errors="replace") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")

    def launch(self, orders: bytes) -> None:
        """Hand the trampoline its orders; it execs the program while the host goes on."""
        with contextlib.suppress(OSError):  # a sandbox that failed to start is reported later
            _write_all(self.orders_w, orders)
        self._close(self.orders_w)

    def launch_error(self) -> str | None:
        """Why the program was not started, once the sandbox has ended; else None."""
        # errors_r is close-on-exec in the launcher: end of file means exec succeeded.
        error = bytearray()
        while chunk := os.read(self.errors_r, READ_CHUNK):
            error += chunk
        if error:
            return f"cannot start bubblewrap: {error.decode(errors='replace')}"
        # The trampoline writes here only before the program's exec (then it closes its end).
        os.set_blocking(self.failure_r, False)
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.failure_r, READ_CHUNK):
                error += chunk
        if error:
            return f"the sandbox could not start the program: {error.decode(errors='replace')}"
        return None

    def abandon(self) -> None:
        """Let the sandbox end unused (its orders pipe ends empty) and reap its processes."""
        self._close(self.orders_w)
        self.cgroup.kill_all()
        self.wait()
        self.finish()

    def finish(self) -> int | None:
        """Once bubblewrap has been reaped: the program's status, and its pid 1 reaped.

        bubblewrap's --json-status-fd says {"child-pid": ...} once the namespaces exist, then
        {"exit-code": N} only if setup finished and the program was started. The child is the
        sandbox's pid 1, orphaned to this process (a subreaper) when bubblewrap exits.
        """
        if self.status_r not in self.ours:
            return None
        raw = bytearray()
        os.set_blocking(self.status_r, False)
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.status_r, READ_CHUNK):
                raw += chunk
        self._close(self.status_r)
        reaper_pid, exit_status = _parse_status(raw.decode(errors="replace"))
        if reaper_pid is not None:
            _reap_orphan(reaper_pid, self.uid)
        return exit_status

    def discard(self) -> None:
        self.ready()  # on failure it has cleaned up after itself
        self.abandon()
        self.close_pipes()
        self.cgroup.kill_all()
        self.cgroup.remove()
        self.workdir.remove()

    def reap(self) -> None:
        """Ask the fork server to reap the launcher (bubblewrap, once exec'd), without waiting."""
        if self.wait_request is None and not self.waited:
            try:
                self.wait_request = self.server.send({"op": "wait", "pid": self.pid})
            except OSError:
                self.waited = True  # the server is gone, and so is its child
                self.status = None

    def wait(self) -> int | None:
        """Have the launcher (bubblewrap, once exec'd) reaped; its status as in Popen.returncode."""
        self.reap()
        if not self.waited and self.wait_request is not None:
            self.waited = True
            try:
                self.status = self.server.answer(self.wait_request)["status"]
            except OSError:
                self.status = None  # the server is gone, and so is its child
        return self.status

    def close_pipes(self) -> None:
        for descriptor in self.ours:
            os.close(descriptor)
        self.ours.clear()

    def _close(self, descriptor: int) -> None:
        if descriptor in self.ours:
            self.ours.remove(descriptor)
            os.close(descriptor)


def _judge(observation: _Observation, usage: Usage, limits: Limits) -> RunResult:
    exit_code, signal_number = _decode_status(observation)
    verdict, message = _verdict(observation, usage, limits, signal_number, exit_code)
    return RunResult(
        verdict=verdict,
        exit_code=exit_code,
        signal=signal_number,
        stdout=bytes(observation.stdout),
        stderr=bytes(observation.stderr),
        report=bytes(observation.report),
        cpu_seconds=round(usage.cpu_seconds, 4),
        wall_seconds=round(observation.wall_seconds, 4),
        peak_memory_kb=usage.peak_memory_kb,
        message=message,
    )


def _decode_status(observation: _Observation) -> tuple[int | None, int | None]:
    status = observation.exit_status
    if status is None:
        returncode = observation.bwrap_returncode
        if returncode is not None and returncode < 0:
            return None, -returncode  # the host stopped bubblewrap itself
        return None, None
    # bubblewrap reports a death by signal n as 128 + n, the shell's convention.
    if status > 128 and (status - 128) in signal.valid_signals():
        return None, status - 128
    return status, None


def _verdict(
    observation: _Observation,
    usage: Usage,
    limits: Limits,
    signal_number: int | None,
    exit_code: int | None,
) -> tuple[Verdict, str]:
    """The first rule that holds decides. Limits the host enforced come before how it ended.

    bubblewrap reports the program's exit only when the program was started and ended by
    itself; a run the host had to stop has no such report, so ``setup_finished`` is required
    only of runs that ended on their own.
    """
    stopped = observation.stopped_for
    ended_alone = stopped is None
    cpu_exceeded = (
        stopped == "cpu"
        or usage.cpu_seconds > limits.cpu_seconds
        or signal_number == signal.SIGXCPU
    )
    rules: list[tuple[bool, Verdict, str]] = [
        (
            observation.launch_error is not None,
            Verdict.SANDBOX_ERROR,
            observation.launch_error or "",
        ),
        (
            ended_alone and not observation.setup_finished,
            Verdict.SANDBOX_ERROR,
            "bubblewrap failed to set up the sandbox",
        ),
        (stopped == "output", Verdict.OUTPUT_LIMIT, f"output exceeded {limits.output_bytes} bytes"),
        (
            usage.oom_kills > 0,
            Verdict.MEMORY_LIMIT,
            f"memory limit of {limits.memory_mb} MB exceeded",
        ),
        (
            stopped == "wall",
            Verdict.TIME_LIMIT,
            f"wall-clock limit of {limits.wall_seconds:g} s exceeded",
        ),
        (cpu_exceeded, Verdict.TIME_LIMIT, f"CPU time limit of {limits.cpu_seconds:g} s exceeded"),
        (
            signal_number == signal.SIGXFSZ,
            Verdict.OUTPUT_LIMIT,
            f"file size limit of {limits.file_size_mb} MB exceeded",
        ),
        (
            signal_number is not None,
            Verdict.RUNTIME_ERROR,
            f"killed by signal {_signal_name(signal_number)}",
        ),
        (exit_code != 0, Verdict.RUNTIME_ERROR, f"exited with status {exit_code}"),
    ]
    for holds, verdict, message in rules:
        if holds:
            return verdict, message
    return Verdict.ACCEPTED, ""


def _signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number).name if number is not None else "?"
    except ValueError:
        return str(number)


def _sandbox_error(message: str) -> RunResult:
    return RunResult(
        verdict=Verdict.SANDBOX_ERROR,
        exit_code=None,
        signal=None,
        stdout=b"",
        stderr=b"",
        report=b"",
        cpu_seconds=0.0,
        wall_seconds=0.0,
        peak_memory_kb=0,
        message=message,
    )


def _pipe(read_list: list[int], write_list: list[int]) -> tuple[int, int]:
    """A close-on-exec pipe whose ends sit above FIRST_PRIVATE_FD, recorded for cleanup."""
    read_end, write_end = os.pipe()
    ends = []
    for descriptor in (read_end, write_end):
        moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD)
        os.close(descriptor)
        ends.append(moved)
    read_list.append(ends[0])
    write_list.append(ends[1])
    return ends[0], ends[1]


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


@contextlib.contextmanager
def _pidfd(pid: int) -> Iterator[int]:
    descriptor = os.pidfd_open(pid)
    try:
        yield descriptor
    finally:
        os.close(descriptor)
