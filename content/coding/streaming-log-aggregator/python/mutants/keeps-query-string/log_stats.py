"""Per-endpoint request counts, error rates and p95 latency over an unbounded access log."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Upper bounds (inclusive, milliseconds) of the latency histogram; above the last: overflow.
BUCKETS_MS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})

_STATUS = re.compile(r"[0-9]{3}")
_LATENCY = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NUMERIC_SEGMENT = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class EndpointStats:
    requests: int
    errors: int
    error_rate: float
    p95_ms: float


@dataclass
class _Histogram:
    """Counts per bucket: memory stays constant however many requests an endpoint serves."""

    requests: int = 0
    errors: int = 0
    max_latency: float = 0.0
    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS_MS) + 1))

    def add(self, status: int, latency: float) -> None:
        self.requests += 1
        if status >= 500:
            self.errors += 1
        self.max_latency = max(self.max_latency, latency)
        # bisect_left: a latency equal to a bound belongs to that bound's bucket (le).
        self.counts[bisect.bisect_left(BUCKETS_MS, latency)] += 1

    def p95(self) -> float:
        rank = (95 * self.requests + 99) // 100  # nearest rank, ceil(0.95 n) in integers
        seen = 0
        for index, count in enumerate(self.counts):
            seen += count
            if seen >= rank:
                return float(BUCKETS_MS[index]) if index < len(BUCKETS_MS) else self.max_latency
        raise AssertionError("unreachable: the counts add up to the number of requests")

    def stats(self) -> EndpointStats:
        return EndpointStats(
            requests=self.requests,
            errors=self.errors,
            error_rate=self.errors / self.requests,
            p95_ms=self.p95(),
        )


class LogAggregator:
    """Feeds access-log lines one at a time; report() summarises everything seen so far."""

    def __init__(self) -> None:
        self._endpoints: dict[str, _Histogram] = {}
        self._malformed = 0

    @property
    def malformed(self) -> int:
        return self._malformed

    def add(self, line: str) -> None:
        if not line.strip():
            return
        parsed = _parse(line)
        if parsed is None:
            self._malformed += 1
            return
        endpoint, status, latency = parsed
        histogram = self._endpoints.get(endpoint)
        if histogram is None:
            histogram = self._endpoints[endpoint] = _Histogram()
        histogram.add(status, latency)

    def consume(self, lines: Iterable[str]) -> None:
        for line in lines:  # one line at a time: the stream may never end
            self.add(line)

    def report(self) -> dict[str, EndpointStats]:
        return {endpoint: h.stats() for endpoint, h in self._endpoints.items()}


def _parse(line: str) -> tuple[str, int, float] | None:
    """(endpoint, status, latency) of a well-formed line, else None."""
    fields = line.split()
    if len(fields) != 5:
        return None
    _timestamp, method, path, status, latency = fields
    if method not in METHODS or not path.startswith("/"):
        return None
    if not _STATUS.fullmatch(status) or not 100 <= int(status) <= 599:
        return None
    if not _LATENCY.fullmatch(latency):
        return None
    return f"{method} {_normalise(path)}", int(status), float(latency)


def _normalise(path: str) -> str:
    """Numeric segments become {id} so /c/7 and /c/8 are one endpoint."""
    return "/".join("{id}" if _NUMERIC_SEGMENT.fullmatch(s) else s for s in path.split("/"))
