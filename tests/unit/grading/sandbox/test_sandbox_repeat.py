"""Many runs in a row, and two slots at once, leave nothing behind on the host."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assay.grading.sandbox import Limits, RunRequest, Sandbox, Verdict, cgroups
from assay.grading.sandbox.runner import SLOT_UID_BASE
from assay.grading.sandbox.workdir import sweep as sweep_workdirs
from tests.sandbox_traces import leftover_processes, leftover_workdirs

pytestmark = pytest.mark.sandbox

SLOTS = (903, 904)
TRIVIAL = RunRequest(argv=["/usr/bin/true"], files={"main.py": b"pass\n"}, limits=Limits())


def host_traces(
    cgroups_left: Callable[[str], list[Path]],
) -> tuple[list[int], list[str], list[str]]:
    uids = {SLOT_UID_BASE + slot for slot in SLOTS}
    run_cgroups = [str(child) for child in cgroups_left(f"run-{os.getpid()}-")]
    return leftover_processes(uids), run_cgroups, [str(p) for p in leftover_workdirs(uids)]


@pytest.mark.slow
def test_200_runs_in_a_row_leave_nothing_behind(
    cgroups_left: Callable[[str], list[Path]],
) -> None:
    Sandbox.check()
    sandbox = Sandbox(slot=SLOTS[0])
    verdicts = {sandbox.run(TRIVIAL).verdict for _ in range(200)}
    assert verdicts == {Verdict.ACCEPTED}
    assert host_traces(cgroups_left) == ([], [], [])


def test_two_slots_run_at_once_as_different_users(
    cgroups_left: Callable[[str], list[Path]],
) -> None:
    Sandbox.check()
    request = RunRequest(
        argv=["/usr/bin/python3", "-c", "import os, time; time.sleep(0.3); print(os.getuid())"],
        files={},
    )
    sandboxes = [Sandbox(slot=slot) for slot in SLOTS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda box: box.run(request), sandboxes))
    assert [r.verdict for r in results] == [Verdict.ACCEPTED, Verdict.ACCEPTED]
    assert [int(r.stdout) for r in results] == [SLOT_UID_BASE + slot for slot in SLOTS]
    assert host_traces(cgroups_left) == ([], [], [])


CRASHING_HOST = """
import json, os, signal
from assay.grading.sandbox import Limits, RunRequest, Sandbox, layout
from assay.grading.sandbox.runner import _servers, standby_cgroups, standby_workdirs
Sandbox.check()
Sandbox(slot={slot}).run(RunRequest(argv=["/usr/bin/true"], files={{}}, limits=Limits()))
servers = [server.process.pid for server in _servers.values()]
standbys = standby_cgroups()
procs = [open(d + "/cgroup.procs").read() for ds in standbys.values() for d in ds]
members = [int(pid) for text in procs for pid in text.split()]
workdirs = standby_workdirs() + [str(path) for path in layout._etc_snapshots.values()]
left = {{"servers": servers, "standbys": standbys, "members": members, "workdirs": workdirs}}
print(json.dumps(left), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def running(pid: int) -> bool:
    """Alive, not a zombie; a zombie orphaned to this test process (a subreaper) is reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields["State"].split()[0] != "Z":
        return True
    if int(fields["PPid"]) == os.getpid():
        os.waitpid(pid, 0)
    return False


def test_a_host_killed_between_runs_leaves_nothing_running() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", CRASHING_HOST.format(slot=SLOTS[0])],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    left = json.loads(completed.stdout)
    waiting = [int(pid) for pid in left["standbys"]] + left["servers"] + left["members"]
    assert len(waiting) >= 3  # slot 0's probe and our slot: a server each, a sandbox waiting
    # Their pipes and sockets reached end of file when the host died: they exit on their own.
    deadline = time.monotonic() + 10
    while any(map(running, waiting)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in waiting if running(pid)] == []
    # The empty cgroups, work directories and /etc snapshot of the dead host are swept by the
    # next host.
    directories = [Path(d) for ds in left["standbys"].values() for d in ds]
    directories += [Path(d) for d in left["workdirs"]]
    assert directories
    assert all(directory.exists() for directory in directories)
    cgroups.detect().sweep()
    sweep_workdirs()
    assert [str(directory) for directory in directories if directory.exists()] == []


def test_the_sweep_empties_and_removes_what_a_dead_host_left() -> None:
    """A process left in a run cgroup of a dead host (say a bubblewrap that hung while its host
    was killed) is killed, and the cgroup removed."""
    hierarchy = cgroups.detect()
    finished = subprocess.Popen(["/usr/bin/true"])
    finished.wait()  # its pid now names a host that is gone
    cgroup = hierarchy.create(f"run-{finished.pid}-{SLOTS[0]}-0", Limits())
    left = subprocess.Popen(["/usr/bin/sleep", "600"])
    try:
        for path in cgroup.procs_files:
            Path(path).write_text(str(left.pid))
        assert cgroup.pids() == {left.pid}
        hierarchy.sweep()
        assert left.wait(timeout=30) == -signal.SIGKILL
        assert [str(d) for d in cgroup.directories if d.exists()] == []
    finally:
        left.kill()
        left.wait()
        with contextlib.suppress(OSError):
            cgroup.remove()
