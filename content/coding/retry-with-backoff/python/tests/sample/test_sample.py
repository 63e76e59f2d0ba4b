"""Sample tests: run them from the editor. The hidden tests check many more cases."""

import pytest

from retry import RetryableError, retry


class FakeTime:
    """A fake clock and sleep: inject them as retry(..., sleep=t.sleep, clock=t.clock)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def flaky(failures, value="ok"):
    """An operation that raises RetryableError `failures` times, then returns `value`."""
    calls = []

    def operation():
        calls.append(1)
        if len(calls) <= failures:
            raise RetryableError("503 Service Unavailable")
        return value

    operation.calls = calls
    return operation


def test_example_from_the_statement():
    t = FakeTime()
    operation = flaky(5, value="graded")
    result = retry(operation, max_attempts=6, base_delay=1, max_delay=5,
                   sleep=t.sleep, clock=t.clock, rng=lambda: 0.5)
    assert result == "graded"
    assert t.sleeps == pytest.approx([0.5, 1.0, 2.0, 2.5, 2.5])


def test_gives_up_after_max_attempts():
    t = FakeTime()
    operation = flaky(10)
    with pytest.raises(RetryableError):
        retry(operation, max_attempts=3, sleep=t.sleep, clock=t.clock, rng=lambda: 0.5)
    assert len(operation.calls) == 3
    assert len(t.sleeps) == 2
