"""Per-endpoint request counts, error rates and p95 latency over an unbounded access log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Upper bounds (inclusive, milliseconds) of the latency histogram; above the last: overflow.
BUCKETS_MS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class EndpointStats:
    requests: int
    errors: int
    error_rate: float
    p95_ms: float


class LogAggregator:
    """Feeds access-log lines one at a time; report() summarises everything seen so far."""

    def __init__(self) -> None:
        raise NotImplementedError

    @property
    def malformed(self) -> int:
        """How many non-blank lines were skipped as malformed."""
        raise NotImplementedError

    def add(self, line: str) -> None:
        """Take one log line into account."""
        raise NotImplementedError

    def consume(self, lines: Iterable[str]) -> None:
        """Take every line of `lines` into account, one at a time."""
        raise NotImplementedError

    def report(self) -> dict[str, EndpointStats]:
        """Statistics per endpoint ("GET /v1/candidates/{id}") of everything seen so far."""
        raise NotImplementedError
