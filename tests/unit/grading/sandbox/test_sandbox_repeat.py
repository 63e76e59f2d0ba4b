"""Many runs in a row, and two slots at once, leave nothing behind on the host."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assay.grading.sandbox import Limits, RunRequest, Sandbox, Verdict
from assay.grading.sandbox.runner import SLOT_UID_BASE

pytestmark = pytest.mark.sandbox

SLOTS = (903, 904)
TRIVIAL = RunRequest(argv=["/usr/bin/true"], files={"main.py": b"pass\n"}, limits=Limits())


def host_traces(
    cgroups_left: Callable[[str], list[Path]],
) -> tuple[list[int], list[str], list[str]]:
    uids = {SLOT_UID_BASE + slot for slot in SLOTS}
    processes = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid in uids:
                processes.append(int(entry.name))
        except FileNotFoundError:
            continue
    run_cgroups = [str(child) for child in cgroups_left(f"run-{os.getpid()}-")]
    workdirs = [
        str(path)
        for base in (Path("/dev/shm"), Path("/tmp"))
        for path in base.glob("assay-run-*")
        if path.lstat().st_gid in uids
    ]
    return processes, run_cgroups, workdirs


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
