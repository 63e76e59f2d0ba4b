"""Performance test: a long mix of gets and puts on a large cache must stay O(1) per call."""

import random

from cache import LruTtlCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_long_mix_on_a_large_cache():
    clock = FakeClock()
    rng = random.Random(42)
    cache = LruTtlCache(10_000, default_ttl=600.0, clock=clock)
    keys = [f"candidate:{n}" for n in range(15_000)]
    for key in keys[:10_000]:
        cache.put(key, key, tags=("warm",))
    hits = 0
    for i in range(60_000):
        key = keys[rng.randrange(15_000)]
        if cache.get(key) is not None:
            hits += 1
        else:
            cache.put(key, key, tags=("org:" + key[-1],))
        clock.now += 0.001
    assert 25_000 < hits < 55_000
    assert cache.invalidate_tag("org:7") > 0
