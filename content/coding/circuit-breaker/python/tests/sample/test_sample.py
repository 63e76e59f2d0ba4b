"""Sample tests: run them from the editor. The hidden tests check many more cases."""

import pytest

from breaker import CircuitBreaker, CircuitOpenError


class FakeClock:
    """A clock the test moves by hand: inject it as CircuitBreaker(..., clock=clock)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def fail():
    raise ConnectionError("provider down")


def test_opens_after_consecutive_failures_then_refuses():
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30, clock=FakeClock())
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(fail)
    assert breaker.state == "open"
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: "never runs")


def test_a_successful_trial_closes_the_breaker():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=30, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(fail)
    clock.now = 30
    assert breaker.state == "half_open"
    assert breaker.call(lambda x: x * 2, 21) == 42
    assert breaker.state == "closed"
