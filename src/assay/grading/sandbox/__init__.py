"""The sandbox behind a small interface: bubblewrap, a cgroup per run, rlimits and seccomp."""

from assay.grading.sandbox.model import Limits, RunRequest, RunResult, SandboxUnavailable, Verdict
from assay.grading.sandbox.runner import Sandbox

__all__ = ["Limits", "RunRequest", "RunResult", "Sandbox", "SandboxUnavailable", "Verdict"]
