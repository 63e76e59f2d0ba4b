"""Hidden tests for TokenBucket: boundaries, fractional refill, capping, clock anomalies."""

import pytest

from rate_limiter import TokenBucket


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make(capacity=5, rate=1.0):
    clock = FakeClock()
    return TokenBucket(capacity=capacity, refill_per_second=rate, clock=clock), clock


def test_new_bucket_is_full():
    bucket, _ = make(capacity=7)
    assert bucket.available() == pytest.approx(7.0)


def test_acquiring_exactly_the_remaining_tokens_succeeds():
    bucket, _ = make(capacity=3)
    assert bucket.try_acquire(2)
    assert bucket.try_acquire(1)  # exactly one token left: must succeed
    assert not bucket.try_acquire(1)


def test_acquire_whole_capacity_at_once():
    bucket, _ = make(capacity=4)
    assert bucket.try_acquire(4)
    assert bucket.available() == pytest.approx(0.0)


def test_failed_acquire_takes_nothing():
    bucket, _ = make(capacity=5)
    assert bucket.try_acquire(3)
    assert not bucket.try_acquire(3)
    assert bucket.available() == pytest.approx(2.0)
    assert bucket.try_acquire(2)


def test_more_than_capacity_is_never_granted():
    bucket, clock = make(capacity=5)
    clock.advance(3600)
    assert not bucket.try_acquire(6)
    assert bucket.available() == pytest.approx(5.0)


def test_refill_keeps_fractional_tokens():
    bucket, clock = make(capacity=1, rate=2.0)
    assert bucket.try_acquire()
    clock.advance(0.25)  # half a token
    assert not bucket.try_acquire()
    clock.advance(0.25)  # the two halves make a whole token
    assert bucket.try_acquire()


def test_many_small_steps_add_up():
    bucket, clock = make(capacity=10, rate=8.0)
    assert bucket.try_acquire(10)
    for _ in range(10):
        clock.advance(0.0625)  # half a token each (binary fractions: no float rounding)
        bucket.available()  # observing the bucket must not lose fractions
    assert bucket.available() == pytest.approx(5.0)
    assert bucket.try_acquire(5)


def test_refill_never_exceeds_capacity():
    bucket, clock = make(capacity=3, rate=100.0)
    assert bucket.try_acquire(3)
    clock.advance(60)
    assert bucket.available() == pytest.approx(3.0)
    assert bucket.try_acquire(3)
    assert not bucket.try_acquire(1)


def test_clock_going_backwards_changes_nothing():
    bucket, clock = make(capacity=4, rate=1.0)
    assert bucket.try_acquire(4)
    clock.advance(-30)
    assert bucket.available() == pytest.approx(0.0)
    assert not bucket.try_acquire()
    clock.advance(1.0)  # one second after the backwards step
    assert bucket.try_acquire()
    assert not bucket.try_acquire()


def test_wait_time():
    bucket, clock = make(capacity=4, rate=2.0)
    assert bucket.wait_time(4) == pytest.approx(0.0)
    assert bucket.try_acquire(4)
    assert bucket.wait_time(1) == pytest.approx(0.5)
    assert bucket.wait_time(3) == pytest.approx(1.5)
    clock.advance(0.5)
    assert bucket.wait_time(1) == pytest.approx(0.0)
    assert bucket.available() == pytest.approx(1.0)  # wait_time takes nothing


@pytest.mark.parametrize(
    ("capacity", "rate"), [(0, 1.0), (-1, 1.0), (5, 0.0), (5, -2.0)]
)
def test_invalid_configuration_is_rejected(capacity, rate):
    with pytest.raises(ValueError):
        TokenBucket(capacity=capacity, refill_per_second=rate, clock=FakeClock())


def test_invalid_token_counts_are_rejected():
    bucket, _ = make(capacity=2)
    with pytest.raises(ValueError):
        bucket.try_acquire(0)
    with pytest.raises(ValueError):
        bucket.wait_time(0)
    with pytest.raises(ValueError):
        bucket.wait_time(3)
