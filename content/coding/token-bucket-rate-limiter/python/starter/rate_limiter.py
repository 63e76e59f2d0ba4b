"""A token bucket rate limiter."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self,
        capacity: int,
        refill_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        raise NotImplementedError

    def try_acquire(self, tokens: int = 1) -> bool:
        raise NotImplementedError

    def available(self) -> float:
        raise NotImplementedError

    def wait_time(self, tokens: int = 1) -> float:
        raise NotImplementedError
