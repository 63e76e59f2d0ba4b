"""Performance test: a long run of calls with irregular time steps must stay cheap per call."""

from rate_limiter import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_long_run_of_calls():
    clock = FakeClock()
    bucket = TokenBucket(capacity=50, refill_per_second=3.7, clock=clock)
    granted = 0
    for i in range(200_000):
        clock.now += 0.013 * (i % 7) / 3.1
        if bucket.try_acquire(1 + i % 3):
            granted += 1
        bucket.available()
    # ~2500 s of refill at 3.7 tokens/s plus the initial 50 tokens, spent 1-3 at a time
    assert 6_000 < granted < 12_000
