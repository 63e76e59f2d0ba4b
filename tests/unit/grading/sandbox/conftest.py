"""What a sandbox run may leave on the host: only its slot's standby launcher, root-owned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.grading.sandbox import cgroups
from assay.grading.sandbox.runner import standby_cgroups


def leftover_cgroups(prefix: str) -> list[Path]:
    """Run cgroups named with ``prefix``, except each slot's standby (checked to hold its
    launcher alone, as root: no process of any run)."""
    waiting: set[Path] = set()
    for pid, directories in standby_cgroups().items():
        assert Path(f"/proc/{pid}").stat().st_uid == 0
        for directory in directories:
            members = set((Path(directory) / "cgroup.procs").read_text().split())
            assert members <= {str(pid)}, (directory, members)
            waiting.add(Path(directory))
    return [
        child
        for parent in cgroups.detect().parents()
        for child in parent.iterdir()
        if child.is_dir() and child.name.startswith(prefix) and child not in waiting
    ]


@pytest.fixture
def cgroups_left() -> Callable[[str], list[Path]]:
    return leftover_cgroups
