"""A token bucket rate limiter."""

from __future__ import annotations

import threading
import time
from fractions import Fraction
from collections.abc import Callable


class TokenBucket:
    """Holds up to `capacity` tokens, refilled continuously at `refill_per_second`."""

    def __init__(
        self,
        capacity: int,
        refill_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if refill_per_second <= 0:
            raise ValueError("refill_per_second must be positive")
        self._capacity = Fraction(capacity)
        self._rate = Fraction(refill_per_second)
        self._clock = clock
        self._tokens = Fraction(capacity)
        self._updated = Fraction(clock())
        self._lock = threading.Lock()

    def try_acquire(self, tokens: int = 1) -> bool:
        if tokens < 1:
            raise ValueError("tokens must be at least 1")
        with self._lock:
            self._refill()
            if self._tokens >= tokens:
                self._tokens -= tokens
                return True
            return False

    def available(self) -> float:
        with self._lock:
            self._refill()
            return float(self._tokens)

    def wait_time(self, tokens: int = 1) -> float:
        if tokens < 1:
            raise ValueError("tokens must be at least 1")
        if tokens > self._capacity:
            raise ValueError("more tokens than the bucket can ever hold")
        with self._lock:
            self._refill()
            missing = tokens - self._tokens
            return float(max(Fraction(0), missing / self._rate))

    def _refill(self) -> None:
        now = Fraction(self._clock())
        # A clock that steps backwards (NTP, a VM migration) must neither add nor remove
        # tokens; remember the new reading so time is measured from it onwards.
        elapsed = max(Fraction(0), now - self._updated)
        self._updated = now
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
