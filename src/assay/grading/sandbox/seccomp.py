"""The compiled seccomp filter, built once per process with the system Python's libseccomp."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from assay.grading.sandbox.model import SandboxUnavailable

SYSTEM_PYTHON = "/usr/bin/python3"
POLICY_SCRIPT = Path(__file__).with_name("seccomp_policy.py")
BPF_INSTRUCTION_BYTES = 8


@lru_cache(maxsize=1)
def compiled_filter() -> bytes:
    """The BPF program bubblewrap loads with ``--seccomp FD`` (a few hundred bytes, cached)."""
    try:
        completed = subprocess.run(
            [SYSTEM_PYTHON, "-I", str(POLICY_SCRIPT)],
            capture_output=True,
            timeout=30,
            check=False,
            env={},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(
            f"cannot run {SYSTEM_PYTHON} to compile the seccomp filter: {error}"
        ) from error
    if completed.returncode != 0 or not completed.stdout:
        detail = completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or [
            "no output"
        ]
        raise SandboxUnavailable(
            f"compiling the seccomp filter failed ({detail[0]}); install Debian's python3-seccomp"
        )
    if len(completed.stdout) % BPF_INSTRUCTION_BYTES:
        raise SandboxUnavailable(
            "the compiled seccomp filter is not a whole number of BPF instructions"
        )
    return completed.stdout
