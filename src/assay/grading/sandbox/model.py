"""The sandbox's data in and out: limits, a run request, its result and verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """How a run ended; the sandbox decides only the observable ones (see RunResult)."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    COMPILE_ERROR = "compile_error"
    SANDBOX_ERROR = "sandbox_error"


class SandboxUnavailable(Exception):
    """The machine cannot provide namespaces, cgroups, seccomp or bubblewrap (says which)."""


@dataclass(frozen=True)
class Limits:
    """What one run may use; every limit is enforced by the kernel, not by trusting the program."""

    cpu_seconds: float = 5.0  # RLIMIT_CPU soft (hard = soft + 1) and the cgroup CPU total
    wall_seconds: float = 10.0  # wall-clock timer kept by the host
    memory_mb: int = 256  # cgroup memory, swap included where the hierarchy accounts it
    pids: int = 64  # cgroup pids.max for the program (bubblewrap's own two come on top)
    cpu_quota: float = 1.0  # cores, as a CFS quota, so a fork bomb cannot take every core
    output_bytes: int = 1 << 20  # cap on each of stdout, stderr and report
    file_size_mb: int = 16  # RLIMIT_FSIZE
    tmp_mb: int = 64  # size of the private tmpfs /tmp (and of /dev/shm)
    open_files: int = 256  # RLIMIT_NOFILE

    def __post_init__(self) -> None:
        positive = {
            "cpu_seconds": self.cpu_seconds,
            "wall_seconds": self.wall_seconds,
            "memory_mb": self.memory_mb,
            "pids": self.pids,
            "cpu_quota": self.cpu_quota,
            "output_bytes": self.output_bytes,
            "file_size_mb": self.file_size_mb,
            "tmp_mb": self.tmp_mb,
            "open_files": self.open_files,
        }
        for name, value in positive.items():
            if value <= 0:
                raise ValueError(f"Limits.{name} must be positive, got {value}")


@dataclass(frozen=True)
class RunRequest:
    """One program to run: its command line, the files laid read-only under /box, and stdin."""

    argv: Sequence[str]
    files: Mapping[str, bytes]
    stdin: bytes = b""
    limits: Limits = field(default_factory=Limits)
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str = "/box"


@dataclass(frozen=True)
class RunResult:
    """What the launcher observed. ``exit_code`` is None when the program died of a signal."""

    verdict: Verdict
    exit_code: int | None
    signal: int | None
    stdout: bytes
    stderr: bytes
    report: bytes
    cpu_seconds: float
    wall_seconds: float
    peak_memory_kb: int
    message: str
