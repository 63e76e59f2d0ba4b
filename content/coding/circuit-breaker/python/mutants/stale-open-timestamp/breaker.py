"""A thread-safe circuit breaker: closed, open and half-open, with an injectable clock."""

from __future__ import annotations

import threading
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
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_timeout <= 0:
            raise ValueError("reset_timeout must be positive")
        if half_open_max_calls < 1:
            raise ValueError("half_open_max_calls must be at least 1")
        self._threshold = failure_threshold
        self._reset_timeout = reset_timeout
        self._max_trials = half_open_max_calls
        self._clock = clock
        self._lock = threading.Lock()
        self._state: State = "closed"
        self._period = 0  # bumped on every state change: outcomes of older periods are ignored
        self._failures = 0
        self._opened_at = 0.0
        self._trials_admitted = 0
        self._trials_succeeded = 0

    @property
    def state(self) -> State:
        with self._lock:
            self._refresh()
            return self._state

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        period = self._admit()
        try:
            result = fn(*args, **kwargs)
        except Exception:
            self._record(period, succeeded=False)
            raise
        self._record(period, succeeded=True)
        return result

    def _admit(self) -> int:
        """Decide and count admission in one critical section, so no check-then-act race."""
        with self._lock:
            self._refresh()
            if self._state == "open":
                raise CircuitOpenError("circuit open")
            if self._state == "half_open":
                if self._trials_admitted >= self._max_trials:
                    raise CircuitOpenError("circuit half-open: trial calls already admitted")
                self._trials_admitted += 1
            return self._period

    def _record(self, period: int, *, succeeded: bool) -> None:
        with self._lock:
            if period != self._period:
                return  # admitted before the last state change: that state is gone
            if self._state == "closed":
                if succeeded:
                    self._failures = 0
                else:
                    self._failures += 1
                    if self._failures >= self._threshold:
                        self._open()
            elif self._state == "half_open":
                if not succeeded:
                    self._enter("open")
                else:
                    self._trials_succeeded += 1
                    if self._trials_succeeded >= self._max_trials:
                        self._enter("closed")

    def _refresh(self) -> None:
        """Open becomes half-open once the reset timeout has passed (checked lazily)."""
        if self._state == "open" and self._clock() >= self._opened_at + self._reset_timeout:
            self._enter("half_open")

    def _open(self) -> None:
        self._enter("open")
        self._opened_at = self._clock()

    def _enter(self, state: State) -> None:
        self._state = state
        self._period += 1
        self._failures = 0
        self._trials_admitted = 0
        self._trials_succeeded = 0
