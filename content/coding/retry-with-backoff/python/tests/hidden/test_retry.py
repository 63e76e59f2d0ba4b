"""Hidden tests for retry(): delays, cap, jitter, retryable errors, Retry-After, deadline."""

import pytest

from retry import RetryableError, retry


class FakeTime:
    def __init__(self, start: float = 500.0) -> None:
        self.now = start
        self.sleeps = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Rng:
    """Returns the given values in turn (the last one forever) and counts its calls."""

    def __init__(self, *values: float) -> None:
        self.values = list(values)
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return self.values[min(self.calls, len(self.values)) - 1]


class Script:
    """An operation that raises the scripted errors in turn, then returns "done"."""

    def __init__(self, *errors, time=None, takes=0.0) -> None:
        self.errors = list(errors)
        self.calls = 0
        self.time = time
        self.takes = takes

    def __call__(self):
        self.calls += 1
        if self.time is not None:
            self.time.now += self.takes
        if self.calls <= len(self.errors):
            raise self.errors[self.calls - 1]
        return "done"


def transient(n, **kwargs):
    return [RetryableError(f"attempt {i + 1} failed", **kwargs) for i in range(n)]


def run(operation, t, rng, **kwargs):
    return retry(operation, sleep=t.sleep, clock=t.clock, rng=rng, **kwargs)


def test_first_success_returns_without_sleeping():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script()
    assert run(operation, t, rng) == "done"
    assert operation.calls == 1
    assert t.sleeps == []
    assert rng.calls == 0


def test_full_jitter_over_exponential_delays():
    t, rng = FakeTime(), Rng(0.5, 0.25, 0.75, 0.0)
    operation = Script(*transient(4))
    assert run(operation, t, rng, max_attempts=5, base_delay=1.0, max_delay=100.0) == "done"
    assert t.sleeps == pytest.approx([0.5, 0.5, 3.0, 0.0])  # caps 1, 2, 4, 8
    assert rng.calls == 4
    assert operation.calls == 5


def test_cap_applies_before_the_jitter():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script(*transient(6))
    assert run(operation, t, rng, max_attempts=7, base_delay=1.0, max_delay=5.0) == "done"
    assert t.sleeps == pytest.approx([0.5, 1.0, 2.0, 2.5, 2.5, 2.5])


def test_small_base_delay():
    t, rng = FakeTime(), Rng(0.9)
    operation = Script(*transient(3))
    run(operation, t, rng, base_delay=0.1, max_delay=10.0)
    assert t.sleeps == pytest.approx([0.09, 0.18, 0.36])


def test_gives_up_with_the_last_error_itself():
    t, rng = FakeTime(), Rng(0.5)
    errors = transient(4)
    operation = Script(*errors)
    with pytest.raises(RetryableError) as raised:
        run(operation, t, rng, max_attempts=4)
    assert raised.value is errors[3]
    assert operation.calls == 4
    assert len(t.sleeps) == 3
    assert rng.calls == 3  # no delay is computed after the last attempt


def test_single_attempt_means_no_retry():
    t, rng = FakeTime(), Rng(0.5)
    errors = transient(1)
    operation = Script(*errors)
    with pytest.raises(RetryableError) as raised:
        run(operation, t, rng, max_attempts=1)
    assert raised.value is errors[0]
    assert operation.calls == 1
    assert t.sleeps == []


def test_non_retryable_errors_propagate_at_once():
    t, rng = FakeTime(), Rng(0.5)
    error = ValueError("400 Bad Request")
    operation = Script(RetryableError("503"), error)
    with pytest.raises(ValueError) as raised:
        run(operation, t, rng, max_attempts=5)
    assert raised.value is error
    assert operation.calls == 2
    assert len(t.sleeps) == 1


def test_custom_retry_on_includes_subclasses():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script(ConnectionResetError("reset"), TimeoutError("slow"), ConnectionError("x"))
    result = run(operation, t, rng, max_attempts=5, retry_on=(ConnectionError, TimeoutError))
    assert result == "done"
    assert operation.calls == 4
    other = Script(RetryableError("not listed"))
    with pytest.raises(RetryableError):
        run(other, t, rng, retry_on=(ConnectionError,))
    assert other.calls == 1


def test_retry_after_is_used_exactly_without_jitter_or_cap():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script(
        RetryableError("429", retry_after=30.0),
        RetryableError("503"),
        RetryableError("429", retry_after=0.25),
    )
    assert run(operation, t, rng, base_delay=1.0, max_delay=10.0) == "done"
    assert t.sleeps == pytest.approx([30.0, 1.0, 0.25])  # attempt 2 failed: cap 2, jitter 0.5
    assert rng.calls == 1


def test_retry_after_on_any_retryable_exception():
    class RateLimited(Exception):
        def __init__(self, retry_after):
            super().__init__("429 Too Many Requests")
            self.retry_after = retry_after

    t, rng = FakeTime(), Rng(0.5)
    operation = Script(RateLimited(3), RateLimited(None), RateLimited(-2.0))
    assert run(operation, t, rng, base_delay=1.0, retry_on=(RateLimited,)) == "done"
    assert t.sleeps == pytest.approx([3.0, 1.0, 0.0])  # None: jitter; negative: no wait
    assert rng.calls == 1


def test_deadline_stops_before_a_sleep_that_would_overrun():
    t, rng = FakeTime(), Rng(0.5)
    errors = transient(10)
    operation = Script(*errors)
    # delays 0.5, 1, 2, 4, ... elapsed after each sleep: 0.5, 1.5, 3.5, 7.5 (deadline 7.5)
    with pytest.raises(RetryableError) as raised:
        run(operation, t, rng, max_attempts=10, base_delay=1.0, max_delay=100.0, deadline=7.5)
    assert t.sleeps == pytest.approx([0.5, 1.0, 2.0, 4.0])  # 7.5 + 8 > 7.5: no 5th sleep
    assert raised.value is errors[4]
    assert operation.calls == 5


def test_deadline_includes_time_spent_in_the_operation():
    t, rng = FakeTime(), Rng(0.0)
    errors = transient(10)
    operation = Script(*errors, time=t, takes=4.0)
    with pytest.raises(RetryableError) as raised:
        run(operation, t, rng, max_attempts=10, deadline=10.0)
    # attempts end at 4 and 8 (sleep 0 each time); the third ends at 12: give up
    assert operation.calls == 3
    assert len(t.sleeps) == 2
    assert raised.value is errors[2]


def test_deadline_applies_to_retry_after():
    t, rng = FakeTime(), Rng(0.5)
    errors = [RetryableError("429", retry_after=20.0)]
    operation = Script(*errors)
    with pytest.raises(RetryableError) as raised:
        run(operation, t, rng, deadline=10.0)
    assert raised.value is errors[0]
    assert t.sleeps == []
    assert operation.calls == 1


def test_deadline_exactly_reached_is_allowed():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script(RetryableError("429", retry_after=10.0))
    assert run(operation, t, rng, deadline=10.0) == "done"
    assert t.sleeps == [10.0]


def test_thousands_of_attempts():
    t, rng = FakeTime(), Rng(0.5)
    operation = Script(*transient(1500))
    assert run(operation, t, rng, max_attempts=2000, base_delay=0.5, max_delay=4.0) == "done"
    assert operation.calls == 1501
    assert len(t.sleeps) == 1500
    assert t.sleeps[:4] == pytest.approx([0.25, 0.5, 1.0, 2.0])
    assert set(t.sleeps[3:]) == {2.0}


def test_zero_base_delay_still_sleeps_once_per_retry():
    t, rng = FakeTime(), Rng(0.7)
    operation = Script(*transient(1200))
    assert run(operation, t, rng, max_attempts=1201, base_delay=0.0) == "done"
    assert t.sleeps == [0.0] * 1200


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"max_attempts": -3},
        {"base_delay": -0.1},
        {"max_delay": -1.0},
        {"deadline": 0},
        {"deadline": -5.0},
    ],
)
def test_invalid_arguments_are_rejected_before_any_attempt(kwargs):
    t, rng = FakeTime(), Rng(0.5)
    operation = Script()
    with pytest.raises(ValueError):
        run(operation, t, rng, **kwargs)
    assert operation.calls == 0
