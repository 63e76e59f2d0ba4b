"""Retrying a flaky operation with capped exponential backoff, full jitter and a deadline."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class RetryableError(Exception):
    """A transient failure; `retry_after` is the server's hint (seconds) when it sent one."""

    def __init__(self, message: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry(
    operation: Callable[[], T],
    *,
    max_attempts: int = 5,
    base_delay: float = 0.1,
    max_delay: float = 10.0,
    deadline: float | None = None,
    retry_on: tuple[type[BaseException], ...] = (RetryableError,),
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: Callable[[], float] = random.random,
) -> T:
    """Call `operation` until it succeeds; re-raise its last error when giving up."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if base_delay < 0 or max_delay < 0:
        raise ValueError("delays must not be negative")
    if deadline is not None and deadline <= 0:
        raise ValueError("deadline must be positive")
    started = clock()
    attempt = 1
    while True:
        try:
            return operation()
        except retry_on as error:
            if attempt >= max_attempts:
                raise
            delay = _delay(error, attempt, base_delay, max_delay, rng)
            if deadline is not None and clock() - started + delay > deadline:
                raise  # waiting would overrun the deadline: fail now, not later
            sleep(delay)
            attempt += 1


def _delay(
    error: BaseException,
    attempt: int,
    base_delay: float,
    max_delay: float,
    rng: Callable[[], float],
) -> float:
    """The wait after failed attempt number `attempt` (1-based)."""
    hint = getattr(error, "retry_after", None)
    if hint is not None:
        return max(0.0, float(hint))  # the server knows its own recovery time: no jitter, no cap
    return rng() * _ceiling(attempt, base_delay, max_delay)


def _ceiling(attempt: int, base_delay: float, max_delay: float) -> float:
    """min(max_delay, base_delay * 2**(attempt-1)), safe for thousands of attempts."""
    try:
        # ldexp stays in floats: an int 2**1100 would overflow when multiplied by a float.
        ceiling = math.ldexp(base_delay, attempt)
    except OverflowError:
        ceiling = math.inf
    return min(max_delay, ceiling)
