"""A thread-safe circuit breaker: closed, open and half-open, with an injectable clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
State = Literal["closed", "open", "half_open"]


class CircuitOpenError(Exception):
    """The breaker refused the call without running it."""


class CircuitBreaker:
    """Stops calling a failing dependency, then probes it with a few trial calls."""

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        half_open_max_calls: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        raise NotImplementedError

    @property
    def state(self) -> State:
        """"closed", "open" or "half_open" at clock() now."""
        raise NotImplementedError

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run fn(*args, **kwargs) if the breaker admits it; raise CircuitOpenError if not."""
        raise NotImplementedError
