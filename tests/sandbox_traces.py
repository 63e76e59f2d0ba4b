"""What a sandbox run may leave on the host: only its slot's standby, a sandbox still waiting for
its orders (bubblewrap and the trampoline, nothing of any run, an empty work directory)."""

from __future__ import annotations

import os
from pathlib import Path

from assay.grading.sandbox import cgroups, cleanup, layout
from assay.grading.sandbox.runner import SLOT_UID_BASE, _host, standby_cgroups, standby_workdirs


def _cmdline(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
    except (FileNotFoundError, ProcessLookupError):  # it exited meanwhile
        return []


def _is_prepared_sandbox(pid: int) -> bool:
    """bubblewrap (its monitor, its pid-1 reaper or a helper it forked) or the trampoline still
    waiting for orders; or a process that has exited since (a zombie has no command line)."""
    argv = _cmdline(pid)
    return argv[:1] in ([], [_host().bwrap.encode()]) or argv == [
        part.encode() for part in layout.trampoline()
    ]


def standby_traces() -> tuple[set[int], set[Path], set[Path]]:
    """Processes, cgroup directories and work directories of this process's standbys, each
    checked to hold nothing of any run.

    A standby that a run takes while we look becomes that run: what is read of it is checked
    only if it is still a standby afterwards (a run never gives its sandbox back).
    """
    assert cleanup.settle(timeout=30)  # finished runs' cgroups and files, removed off their path
    processes: set[int] = set()
    directories: set[Path] = set()
    for launcher, directories_of_one in standby_cgroups().items():
        for directory in map(Path, directories_of_one):
            try:
                members = {int(pid) for pid in (directory / "cgroup.procs").read_text().split()}
            except FileNotFoundError:  # the standby was taken, run and removed meanwhile
                members = None
            # The launcher itself (root, before it execs bubblewrap), or what bubblewrap started.
            strangers = {pid for pid in members or () if pid != launcher}
            strangers = {pid for pid in strangers if not _is_prepared_sandbox(pid)}
            if launcher not in standby_cgroups():
                continue
            assert members is not None, directory
            assert not strangers, (directory, launcher, {pid: _cmdline(pid) for pid in members})
            processes |= members
            directories.add(directory)
    workdirs: set[Path] = set()
    for root in standby_workdirs():
        try:
            entries = list((Path(root) / "box").iterdir())
        except FileNotFoundError:  # the standby was taken, run and removed meanwhile
            entries = None
        if root not in standby_workdirs():
            continue
        assert entries == [], root
        workdirs.add(Path(root))
    return processes, directories, workdirs


def leftover_cgroups(prefix: str) -> list[Path]:
    """Run cgroups named with ``prefix``, except each slot's standby."""
    _, waiting, _ = standby_traces()
    return [
        child
        for parent in cgroups.detect().parents()
        for child in parent.iterdir()
        if child.is_dir() and child.name.startswith(prefix) and child not in waiting
    ]


def leftover_processes(uids: set[int]) -> list[int]:
    """Processes running as one of the slots' uids, except those of a standby still waiting.

    Membership is read per process, from its own /proc entry, so that a standby's bubblewrap
    forking while we look is neither missed nor mistaken for a leftover.
    """
    _, waiting, _ = standby_traces()
    names = {directory.name for directory in waiting}
    launchers = set(standby_cgroups())
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or entry.stat().st_uid not in uids:
                continue
            groups = {line.rsplit("/", 1)[-1] for line in (entry / "cgroup").read_text().split()}
        except (FileNotFoundError, ProcessLookupError):  # it exited meanwhile
            continue
        pid = int(entry.name)
        if not (groups & names and (pid in launchers or _is_prepared_sandbox(pid))):
            found.append(pid)
    return found


def leftover_workdirs(uids: set[int]) -> list[Path]:
    """Work directories of the slots' groups, except the standbys' (checked empty)."""
    _, _, waiting = standby_traces()
    return [
        path
        for base in (Path("/dev/shm"), Path("/tmp"))
        for path in base.glob("assay-run-*")
        if path.lstat().st_gid in uids and path not in waiting
    ]


def assert_slot_left_nothing(slot: int) -> None:
    """No process, run cgroup (of this process) or work directory of the slot, but its standby."""
    uid = SLOT_UID_BASE + slot
    assert leftover_processes({uid}) == []
    assert leftover_cgroups(f"run-{os.getpid()}-{slot}-") == []
    assert leftover_workdirs({uid}) == []
