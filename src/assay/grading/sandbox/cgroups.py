"""A fresh control group per run on cgroup v1 or v2: limits, accounting, and killing what is left.

The hierarchy is detected once per process. Run cgroups are made under ``assay-sandbox/``
inside the cgroup this process already belongs to (one per v1 hierarchy), so a supervisor
that accounts for this process keeps accounting for the programs it runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assay.grading.sandbox.model import Limits, SandboxUnavailable

PARENT_NAME = "assay-sandbox"
CFS_PERIOD_US = 100_000
V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
V2_CONTROLLERS = ("memory", "pids", "cpu")
# Removing a cgroup waits for its last task to be reaped; bounded so a stuck kernel cannot hang us.
REMOVE_TIMEOUT_SECONDS = 5.0
KILL_TIMEOUT_SECONDS = 5.0
# Members that are not processes we can wait for (threads of an exiting group): re-read this often.
KILL_POLL_SECONDS = 0.01


@dataclass(frozen=True)
class Usage:
    """What the kernel accounted to one run's cgroup."""

    cpu_seconds: float
    peak_memory_kb: int
    oom_kills: int


class RunCgroup(ABC):
    """The cgroup (one directory per hierarchy) that holds every process of one run."""

    limits: Limits

    def __init__(self, directories: tuple[Path, ...]) -> None:
        self.directories = directories

    @abstractmethod
    def set_limits(self, limits: Limits) -> None:
        """Write the memory, pids and CPU quota limits (again, when a run needs other ones)."""

    @abstractmethod
    def fresh_limit_writes(self, limits: Limits) -> list[tuple[Path, str]]:
        """(file, value) writes that set the limits of this cgroup once it is made, in order."""

    @abstractmethod
    def reset_accounting(self) -> None:
        """Start the CPU total and the memory peak afresh, just before the run starts."""

    @property
    def procs_files(self) -> tuple[str, ...]:
        """Files the launcher writes ``0`` into to join the cgroup before it execs anything."""
        return tuple(str(directory / "cgroup.procs") for directory in self.directories)

    @abstractmethod
    def cpu_seconds(self) -> float: ...

    @abstractmethod
    def usage(self) -> Usage: ...

    def pids(self) -> set[int]:
        found: set[int] = set()
        for directory in self.directories:
            with contextlib.suppress(FileNotFoundError):
                found.update(int(line) for line in _read(directory / "cgroup.procs").split())
        return found

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until it is empty (fork bombs included)."""
        deadline = time.monotonic() + KILL_TIMEOUT_SECONDS
        while pids := self.pids():
            pidfds = [pidfd for pid in pids if (pidfd := self._kill_if_member(pid)) is not None]
            try:
                # A pidfd turns readable once its process has exited and left the cgroup: wait
                # for exactly that (a dying sandbox's namespaces take milliseconds to go).
                remaining = deadline - time.monotonic()
                if pidfds and remaining > 0:
                    poller = select.poll()
                    for pidfd in pidfds:
                        poller.register(pidfd, select.POLLIN)
                    poller.poll(1000 * min(remaining, KILL_POLL_SECONDS))
            finally:
                for pidfd in pidfds:
                    os.close(pidfd)
            if time.monotonic() > deadline:
                raise OSError(errno.EBUSY, f"processes {sorted(pids)} survived SIGKILL")

    def _kill_if_member(self, pid: int) -> int | None:
        """SIGKILL ``pid`` if it is still a member; its pidfd, for the caller to wait on."""
        # A pid read from cgroup.procs may exit and be reused by an unrelated host process before
        # we signal it. Pin the process with a pidfd first, then check it is still a member: only
        # sandboxed processes can be in this cgroup and none of them can leave it.
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            return None
        try:
            if pid in self.pids():
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        except BaseException:
            os.close(pidfd)
            raise
        return pidfd

    def remove(self) -> None:
        """Remove the (empty) cgroup directories; retried while exiting tasks are released."""
        deadline = time.monotonic() + REMOVE_TIMEOUT_SECONDS
        pause = 0.0001  # usually a fraction of a millisecond: start short, back off
        for directory in self.directories:
            while True:
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError as error:
                    if error.errno != errno.EBUSY or time.monotonic() > deadline:
                        raise
                    time.sleep(pause)
                    pause = min(pause * 2, 0.01)


class V1RunCgroup(RunCgroup):
    def __init__(self, directories: tuple[Path, ...], by_controller: dict[str, Path]) -> None:
        super().__init__(directories)
        self.by_controller = by_controller

    def set_limits(self, limits: Limits) -> None:
        memsw = self.by_controller["memory"] / "memory.memsw.limit_in_bytes"
        # memsw may never be below the memory limit: raise it first when the limit goes up.
        raising = memsw.exists() and int(_read(memsw)) < (limits.memory_mb << 20)
        for path, value in self._limit_writes(limits, memsw_first=raising):
            _write(path, value)
        self.limits = limits

    def fresh_limit_writes(self, limits: Limits) -> list[tuple[Path, str]]:
        return self._limit_writes(limits, memsw_first=False)

    def _limit_writes(self, limits: Limits, *, memsw_first: bool) -> list[tuple[Path, str]]:
        memory = self.by_controller["memory"]
        limit = str(limits.memory_mb << 20)
        memory_writes = [(memory / "memory.limit_in_bytes", limit)]
        memsw = memory / "memory.memsw.limit_in_bytes"
        if memsw.exists():  # swap accounting: memory + swap bounded by the same number
            memory_writes.insert(0 if memsw_first else 1, (memsw, limit))
        cpu = self.by_controller["cpu"]
        return [
            *memory_writes,
            (self.by_controller["pids"] / "pids.max", str(limits.pids + BWRAP_PROCESSES)),
            (cpu / "cpu.cfs_period_us", str(CFS_PERIOD_US)),
            (cpu / "cpu.cfs_quota_us", str(_quota(limits))),
        ]

    def reset_accounting(self) -> None:
        # Writing 0 restarts the CPU total and sets each peak to the current usage (the waiting
        # launcher's few pages), so what is read at the end belongs to this run alone.
        _write(self.by_controller["cpuacct"] / "cpuacct.usage", "0")
        memory = self.by_controller["memory"]
        _write(memory / "memory.max_usage_in_bytes", "0")
        memsw = memory / "memory.memsw.max_usage_in_bytes"
        if memsw.exists():
            _write(memsw, "0")

    def cpu_seconds(self) -> float:
        return int(_read(self.by_controller["cpuacct"] / "cpuacct.usage")) / 1e9

    def usage(self) -> Usage:
        memory = self.by_controller["memory"]
        oom_control = _keyed(_read(memory / "memory.oom_control"))
        peak = int(_read(memory / "memory.max_usage_in_bytes"))
        memsw = memory / "memory.memsw.max_usage_in_bytes"
        if memsw.exists():
            peak = max(peak, int(_read(memsw)))
        return Usage(
            cpu_seconds=self.cpu_seconds(),
            peak_memory_kb=peak // 1024,
            oom_kills=oom_control.get("oom_kill", 0),
        )


class V2RunCgroup(RunCgroup):
    cpu_base_usec = 0

    def set_limits(self, limits: Limits) -> None:
        for path, value in self.fresh_limit_writes(limits):
            _write(path, value)
        self.limits = limits

    def fresh_limit_writes(self, limits: Limits) -> list[tuple[Path, str]]:
        directory = self.directories[0]
        writes = [(directory / "memory.max", str(limits.memory_mb << 20))]
        swap = directory / "memory.swap.max"
        if swap.exists():  # memory.max already bounds RAM; no swap keeps the total the same
            writes.append((swap, "0"))
        writes.append((directory / "pids.max", str(limits.pids + BWRAP_PROCESSES)))
        writes.append((directory / "cpu.max", f"{_quota(limits)} {CFS_PERIOD_US}"))
        return writes

    def reset_accounting(self) -> None:
        # cpu.stat cannot be reset: remember where this run starts. memory.peak (kernel >= 5.19)
        # covers the launcher's few pages from before the run as well; nothing else is in it.
        self.cpu_base_usec = self._usage_usec()

    def _usage_usec(self) -> int:
        return _keyed(_read(self.directories[0] / "cpu.stat"))["usage_usec"]

    def cpu_seconds(self) -> float:
        return (self._usage_usec() - self.cpu_base_usec) / 1e6

    def usage(self) -> Usage:
        directory = self.directories[0]
        peak_file = directory / "memory.peak"  # kernel >= 5.19
        peak = (
            int(_read(peak_file))
            if peak_file.exists()
            else int(_read(directory / "memory.current"))
        )
        events = _keyed(_read(directory / "memory.events"))
        return Usage(
            cpu_seconds=self.cpu_seconds(),
            peak_memory_kb=peak // 1024,
            oom_kills=events.get("oom_kill", 0),
        )

    def kill_all(self) -> None:
        kill_file = self.directories[0] / "cgroup.kill"  # kernel >= 5.14: atomic, race-free
        if kill_file.exists() and self.pids():
            _write(kill_file, "1")
        super().kill_all()


class Hierarchy(ABC):
    """Where run cgroups are made, and how."""

    version: int

    @abstractmethod
    def run_cgroup(self, name: str) -> RunCgroup:
        """The cgroup called ``name``, not made yet (see create)."""

    def create(self, name: str, limits: Limits) -> RunCgroup:
        cgroup = self.run_cgroup(name)
        try:
            for directory in cgroup.directories:
                directory.mkdir(mode=0o755)
            cgroup.set_limits(limits)
        except BaseException:
            with contextlib.suppress(OSError):
                cgroup.remove()
            raise
        return cgroup

    @abstractmethod
    def parents(self) -> tuple[Path, ...]:
        """The ``assay-sandbox`` directories holding every run cgroup of this host."""

    def sweep(self) -> None:
        """Empty and remove the run cgroups of host processes that died without removing them.

        Only a run's own processes can be in a run cgroup (its launcher, bubblewrap, the
        trampoline, the program), so what a dead host left there is killed: for instance a
        bubblewrap that was starting when its host was killed, and hangs without its child.
        """
        names = {
            child.name
            for parent in self.parents()
            for child in parent.iterdir()
            if child.is_dir() and _owner_is_dead(child.name)
        }
        for name in sorted(names):
            cgroup = self.run_cgroup(name)
            with contextlib.suppress(OSError):
                cgroup.kill_all()
                cgroup.remove()


class V1Hierarchy(Hierarchy):
    version = 1

    def __init__(self, parents_by_controller: dict[str, Path]) -> None:
        self.parents_by_controller = parents_by_controller

    def parents(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(self.parents_by_controller.values()))

    def run_cgroup(self, name: str) -> RunCgroup:
        by_controller = {c: parent / name for c, parent in self.parents_by_controller.items()}
        directories = tuple(
            dict.fromkeys(by_controller.values())
        )  # co-mounted controllers share one
        return V1RunCgroup(directories, by_controller)


class V2Hierarchy(Hierarchy):
    version = 2

    def __init__(self, parent: Path) -> None:
        self.parent = parent

    def parents(self) -> tuple[Path, ...]:
        return (self.parent,)

    def run_cgroup(self, name: str) -> RunCgroup:
        return V2RunCgroup((self.parent / name,))


# bubblewrap's monitor and its pid-1 reaper live in the run's cgroup next to the program.
BWRAP_PROCESSES = 2


@lru_cache(maxsize=1)
def detect() -> Hierarchy:
    """Find a usable hierarchy (v1 controllers first, as on hybrid hosts); cached per process."""
    mounts = _cgroup_mounts()
    membership = _membership()
    if euid := os.geteuid():
        raise SandboxUnavailable(
            f"creating cgroups and switching to per-slot uids needs root; running as uid {euid}"
        )
    v1 = {c: mounts["v1"][c] for c in V1_CONTROLLERS if c in mounts["v1"]}
    if "memory" in v1:
        missing = [c for c in V1_CONTROLLERS if c not in v1]
        if missing:
            raise SandboxUnavailable(f"cgroup v1 controllers not mounted: {', '.join(missing)}")
        parents = {}
        for controller, mount in v1.items():
            own = membership.get(controller, "/")
            parents[controller] = _ensure_parent(mount / own.lstrip("/") / PARENT_NAME)
        hierarchy: Hierarchy = V1Hierarchy(parents)
        hierarchy.sweep()
        return hierarchy
    for unified in mounts["v2"].values():
        available = _read(unified / "cgroup.controllers").split()
        if all(c in available for c in V2_CONTROLLERS):
            hierarchy = V2Hierarchy(_v2_parent(unified, membership.get("", "/")))
            hierarchy.sweep()
            return hierarchy
    raise SandboxUnavailable(
        "no cgroup hierarchy with the memory, pids and cpu controllers: mount cgroup v2 "
        "(with those controllers enabled) or the v1 memory, pids, cpu and cpuacct hierarchies"
    )


def _quota(limits: Limits) -> int:
    return max(1000, int(limits.cpu_quota * CFS_PERIOD_US))


def _owner_is_dead(name: str) -> bool:
    """Whether ``run-PID-...`` names a host process that no longer exists.

    A reused pid makes a dead host look alive: its cgroups then wait for a later sweep, which is
    the safe way to be wrong.
    """
    fields = name.split("-")
    if len(fields) < 2 or fields[0] != "run" or not fields[1].isdigit():
        return False
    return not Path(f"/proc/{fields[1]}").exists()


def _v2_parent(mount: Path, own: str) -> Path:
    own_dir = mount / own.lstrip("/")
    wanted = " ".join(f"+{c}" for c in V2_CONTROLLERS)
    try:
        _write(own_dir / "cgroup.subtree_control", wanted)
    except OSError as error:
        if error.errno != errno.EBUSY:
            raise SandboxUnavailable(f"cannot enable {wanted} in {own_dir}: {error}") from error
        # "No internal processes": a cgroup with members cannot hand controllers to children.
        # Move this process into a leaf beside the runs, if it is the only member.
        members = set(_read(own_dir / "cgroup.procs").split())
        if members != {str(os.getpid())}:
            raise SandboxUnavailable(
                f"{own_dir} holds other processes ({len(members)}), so its controllers cannot be "
                "delegated: run the grading worker in its own delegated cgroup "
                "(e.g. systemd Delegate=yes)"
            ) from error
        host_leaf = own_dir / "assay-host"
        host_leaf.mkdir(exist_ok=True)
        _write(host_leaf / "cgroup.procs", str(os.getpid()))
        _write(own_dir / "cgroup.subtree_control", wanted)
    parent = _ensure_parent(own_dir / PARENT_NAME)
    _write(parent / "cgroup.subtree_control", wanted)
    return parent


def _ensure_parent(path: Path) -> Path:
    try:
        path.mkdir(mode=0o755, exist_ok=True)
    except OSError as error:
        raise SandboxUnavailable(f"cannot create cgroup {path}: {error}") from error
    return path


def _cgroup_mounts() -> dict[str, dict[str, Path]]:
    v1: dict[str, Path] = {}
    v2: dict[str, Path] = {}
    with open("/proc/self/mountinfo", encoding="utf-8") as mountinfo:
        for line in mountinfo:
            fields = line.split()
            separator = fields.index("-")
            fstype, options = fields[separator + 1], fields[separator + 3]
            mount_point = Path(fields[4])
            if fstype == "cgroup":
                for option in options.split(","):
                    if option in V1_CONTROLLERS:
                        v1[option] = mount_point
            elif fstype == "cgroup2":
                v2[str(mount_point)] = mount_point
    return {"v1": v1, "v2": v2}


def _membership() -> dict[str, str]:
    """controller -> this process's cgroup path ("" is the v2 unified entry)."""
    found: dict[str, str] = {}
    with open("/proc/self/cgroup", encoding="utf-8") as cgroup:
        for line in cgroup:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(","):
                found[controller] = path
    return found


def _keyed(text: str) -> dict[str, int]:
    pairs = (line.split() for line in text.splitlines())
    return {pair[0]: int(pair[1]) for pair in pairs if len(pair) == 2 and pair[1].isdigit()}


def _read(path: Path) -> str:
    with open(path, encoding="ascii") as handle:
        return handle.read()


def _write(path: Path, value: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(value)
