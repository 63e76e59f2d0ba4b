"""Failures of the grading machinery, never of the candidate: the queue retries these."""

from __future__ import annotations


class GradingInfrastructureError(Exception):
    """The grade could not be computed (sandbox down, database unreachable, broken package).

    Never shown to a candidate as their fault; the queue retries the job and alerts on repeats.
    """


class TaskPackageDefect(GradingInfrastructureError):
    """The package itself misbehaved while grading (reference fails, checker crashes)."""
