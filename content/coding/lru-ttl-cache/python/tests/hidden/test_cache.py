"""Hidden tests for LruTtlCache: recency, eviction, expiry, replacement, invalidation."""

import random

import pytest

from cache import LruTtlCache

MISSING = object()


class FakeClock:
    def __init__(self, start: float = 100.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def make(max_entries=3, default_ttl=None):
    clock = FakeClock()
    return LruTtlCache(max_entries, default_ttl=default_ttl, clock=clock), clock


def present(cache, key):
    return cache.get(key, MISSING) is not MISSING


def test_put_then_get_and_missing_keys():
    cache, _ = make()
    cache.put("a", {"name": "Ada"})
    assert cache.get("a") == {"name": "Ada"}
    assert cache.get("nope") is None
    assert cache.get("nope", "fallback") == "fallback"


def test_falsy_values_are_values():
    cache, _ = make(max_entries=4)
    cache.put("none", None)
    cache.put("zero", 0)
    cache.put("empty", "")
    cache.put("false", False)
    assert cache.get("none", MISSING) is None
    assert cache.get("zero", MISSING) == 0
    assert cache.get("empty", MISSING) == ""
    assert cache.get("false", MISSING) is False


def test_evicts_least_recently_put():
    cache, _ = make(max_entries=3)
    for key in "abcd":
        cache.put(key, key.upper())
    assert not present(cache, "a")
    assert [cache.get(k) for k in "bcd"] == ["B", "C", "D"]


def test_get_makes_an_entry_most_recently_used():
    cache, _ = make(max_entries=3)
    for key in "abc":
        cache.put(key, key)
    assert cache.get("a") == "a"
    assert cache.get("b") == "b"
    cache.put("d", "d")  # "c" is now the least recently used
    assert not present(cache, "c")
    cache.put("e", "e")  # then "a"
    assert not present(cache, "a")
    assert [cache.get(k) for k in "bde"] == ["b", "d", "e"]


def test_a_miss_does_not_change_recency():
    cache, _ = make(max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("zzz") is None
    cache.put("c", 3)
    assert not present(cache, "a")
    assert present(cache, "b")


def test_replacing_a_key_evicts_nothing_and_refreshes_recency():
    cache, _ = make(max_entries=3)
    for key in "abc":
        cache.put(key, 1)
    cache.put("a", 2)  # replaces: the cache is full but nothing is evicted; "a" is now newest
    cache.put("d", 4)  # so the least recently used is "b"
    assert not present(cache, "b")
    assert [cache.get(k) for k in "acd"] == [2, 1, 4]


def test_single_entry_cache():
    cache, _ = make(max_entries=1)
    cache.put("a", 1)
    cache.put("a", 2)
    assert cache.get("a") == 2
    cache.put("b", 3)
    assert not present(cache, "a")
    assert cache.get("b") == 3


def test_entry_expires_exactly_at_its_ttl():
    cache, clock = make(default_ttl=10)
    cache.put("a", 1)  # t=100, expires at 110
    clock.now = 109.999
    assert cache.get("a") == 1
    clock.now = 110.0
    assert not present(cache, "a")
    clock.now = 100.0  # removed on read: does not come back
    assert not present(cache, "a")


def test_ttl_override_default_and_no_expiry():
    cache, clock = make(max_entries=5, default_ttl=10)
    cache.put("default", 1)
    cache.put("short", 2, ttl=1)
    cache.put("long", 3, ttl=100)
    forever, forever_clock = make()
    forever.put("k", 4)
    clock.now += 5
    assert [present(cache, k) for k in ("default", "short", "long")] == [True, False, True]
    clock.now += 5
    assert [present(cache, k) for k in ("default", "long")] == [False, True]
    forever_clock.now += 10**9
    assert forever.get("k") == 4


def test_replacing_an_entry_renews_its_lifetime():
    cache, clock = make(default_ttl=10)
    cache.put("a", 1)
    clock.now = 108
    cache.put("a", 2)  # now expires at 118
    clock.now = 115
    assert cache.get("a") == 2
    clock.now = 118
    assert not present(cache, "a")


def test_expired_entries_keep_their_slot_until_evicted_in_lru_order():
    cache, clock = make(max_entries=3)
    cache.put("a", 1)
    cache.put("old", 2, ttl=5)
    cache.put("c", 3)
    clock.now += 10  # "old" has expired but is not the least recently used: "a" is
    cache.put("d", 4)
    assert not present(cache, "a")
    assert [cache.get(k) for k in ("c", "d")] == [3, 4]
    cache.put("e", 5)  # now the least recently used is the expired "old"
    assert [cache.get(k) for k in ("c", "d", "e")] == [3, 4, 5]


def test_reading_an_expired_entry_frees_its_slot():
    cache, clock = make(max_entries=2)
    cache.put("a", 1)
    cache.put("short", 2, ttl=1)
    clock.now += 1
    assert not present(cache, "short")  # removed now: one slot is free
    cache.put("b", 3)
    assert [cache.get(k) for k in ("a", "b")] == [1, 3]


def test_invalidate_key():
    cache, clock = make()
    cache.put("a", 1)
    cache.put("short", 2, ttl=1)
    assert cache.invalidate("a") is True
    assert not present(cache, "a")
    assert cache.invalidate("a") is False
    assert cache.invalidate("never") is False
    clock.now += 1
    assert cache.invalidate("short") is False  # expired: removed but not counted


def test_invalidate_prefix():
    cache, clock = make(max_entries=10)
    cache.put("org:1:candidate:1", 1)
    cache.put("org:1:candidate:2", 2)
    cache.put("org:1:candidate:3", 3, ttl=1)
    cache.put("org:10:candidate:1", 4)
    cache.put("x-org:1:candidate:9", 5)
    clock.now += 1
    assert cache.invalidate_prefix("org:1:") == 2
    assert [present(cache, k) for k in ("org:1:candidate:1", "org:1:candidate:2")] == [False] * 2
    assert cache.get("org:10:candidate:1") == 4
    assert cache.get("x-org:1:candidate:9") == 5
    assert cache.invalidate_prefix("org:1:") == 0
    assert cache.invalidate_prefix("") == 2  # every key starts with ""


def test_invalidate_tag():
    cache, clock = make(max_entries=10)
    cache.put("a", 1, tags=["org:1", "role:lead"])
    cache.put("b", 2, tags=("org:1",))
    cache.put("c", 3, tags={"role:lead"})
    cache.put("d", 4, tags=["org:1"], ttl=1)
    cache.put("e", 5)
    clock.now += 1
    assert cache.invalidate_tag("org:1") == 2
    assert [present(cache, k) for k in "abde"] == [False, False, False, True]
    assert cache.invalidate_tag("role:lead") == 1  # "c"; "a" is already gone
    assert cache.get("c") is None
    assert cache.invalidate_tag("org:1") == 0
    assert cache.invalidate_tag("unknown") == 0


def test_replacing_an_entry_replaces_its_tags():
    cache, _ = make(max_entries=10)
    cache.put("a", 1, tags=["org:1", "draft"])
    cache.put("a", 2, tags=["org:2"])
    assert cache.invalidate_tag("org:1") == 0
    assert cache.invalidate_tag("draft") == 0
    assert cache.get("a") == 2
    assert cache.invalidate_tag("org:2") == 1
    assert cache.get("a") is None


def test_evicted_and_invalidated_entries_leave_their_tags():
    cache, _ = make(max_entries=2)
    cache.put("a", 1, tags=["t"])
    cache.put("b", 2, tags=["t"])
    cache.put("c", 3)  # evicts "a"
    assert cache.invalidate("b") is True
    cache.put("a", 4)  # back, without tags
    cache.put("b", 5)
    assert cache.invalidate_tag("t") == 0
    assert [cache.get(k) for k in ("a", "b")] == [4, 5]


@pytest.mark.parametrize(
    ("max_entries", "default_ttl"), [(0, None), (-1, None), (3, 0), (3, -1.5)]
)
def test_invalid_configuration_is_rejected(max_entries, default_ttl):
    with pytest.raises(ValueError):
        LruTtlCache(max_entries, default_ttl=default_ttl, clock=FakeClock())


def test_invalid_ttl_is_rejected():
    cache, _ = make()
    with pytest.raises(ValueError):
        cache.put("a", 1, ttl=0)
    with pytest.raises(ValueError):
        cache.put("a", 1, ttl=-3)
    assert not present(cache, "a")


class ModelCache:
    """A deliberately simple O(n) model of the specification."""

    def __init__(self, max_entries, default_ttl, clock):
        self.max_entries, self.default_ttl, self.clock = max_entries, default_ttl, clock
        self.entries = []  # [key, value, expires_at, tags], least recently used first

    def _find(self, key):
        for i, entry in enumerate(self.entries):
            if entry[0] == key:
                return i
        return None

    def get(self, key, default=None):
        i = self._find(key)
        if i is None:
            return default
        entry = self.entries.pop(i)
        if self.clock() >= entry[2]:
            return default
        self.entries.append(entry)
        return entry[1]

    def put(self, key, value, ttl=None, tags=()):
        life = ttl if ttl is not None else self.default_ttl
        expires = float("inf") if life is None else self.clock() + life
        i = self._find(key)
        if i is not None:
            self.entries.pop(i)
        elif len(self.entries) >= self.max_entries:
            self.entries.pop(0)
        self.entries.append([key, value, expires, set(tags)])

    def _drop(self, predicate):
        kept, live = [], 0
        for entry in self.entries:
            if predicate(entry):
                live += self.clock() < entry[2]
            else:
                kept.append(entry)
        self.entries = kept
        return live

    def invalidate(self, key):
        return self._drop(lambda e: e[0] == key) == 1

    def invalidate_prefix(self, prefix):
        return self._drop(lambda e: e[0].startswith(prefix))

    def invalidate_tag(self, tag):
        return self._drop(lambda e: tag in e[3])


def test_long_random_run_matches_a_simple_model():
    rng = random.Random(20240501)
    clock = FakeClock()
    cache = LruTtlCache(7, default_ttl=20, clock=clock)
    model = ModelCache(7, 20, clock)
    keys = [f"{group}:{n}" for group in ("org:1", "org:2", "user") for n in range(5)]
    tags = ["red", "green", "blue"]
    for step in range(4000):
        op = rng.random()
        key = rng.choice(keys)
        if op < 0.40:
            expected = model.get(key, MISSING)
            assert cache.get(key, MISSING) == expected, f"step {step}: get({key!r})"
        elif op < 0.80:
            ttl = rng.choice([None, None, 1, 5, 30])
            chosen = rng.sample(tags, rng.randint(0, 2))
            model.put(key, step, ttl=ttl, tags=chosen)
            cache.put(key, step, ttl=ttl, tags=chosen)
        elif op < 0.86:
            assert cache.invalidate(key) == model.invalidate(key), f"step {step}"
        elif op < 0.90:
            prefix = rng.choice(["org:1", "org:", "user:3", "nothing"])
            assert cache.invalidate_prefix(prefix) == model.invalidate_prefix(prefix), step
        elif op < 0.94:
            tag = rng.choice(tags)
            assert cache.invalidate_tag(tag) == model.invalidate_tag(tag), f"step {step}"
        else:
            clock.now += rng.choice([0.5, 1, 2, 4])
