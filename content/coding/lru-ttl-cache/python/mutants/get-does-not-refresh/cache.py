"""An in-process LRU cache with per-entry TTL and invalidation by key, prefix and tag."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_NEVER = float("inf")


@dataclass(slots=True)
class _Entry:
    value: Any
    expires_at: float
    tags: frozenset[str]


class LruTtlCache:
    """Holds at most `max_entries` entries; evicts the least recently used one when full."""

    def __init__(
        self,
        max_entries: int,
        *,
        default_ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if default_ttl is not None and default_ttl <= 0:
            raise ValueError("default_ttl must be positive")
        self._max_entries = max_entries
        self._default_ttl = default_ttl
        self._clock = clock
        # Ordered from least to most recently used: move_to_end and popitem are O(1).
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._by_tag: dict[str, set[str]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return default
        if self._clock() >= entry.expires_at:
            self._remove(key)
            return default
        return entry.value

    def put(
        self,
        key: str,
        value: Any,
        *,
        ttl: float | None = None,
        tags: Iterable[str] = (),
    ) -> None:
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be positive")
        lifetime = ttl if ttl is not None else self._default_ttl
        expires_at = _NEVER if lifetime is None else self._clock() + lifetime
        if key in self._entries:
            self._remove(key)  # drops the old entry's tags too
        elif len(self._entries) >= self._max_entries:
            oldest = next(iter(self._entries))
            self._remove(oldest)
        entry = _Entry(value, expires_at, frozenset(tags))
        self._entries[key] = entry
        for tag in entry.tags:
            self._by_tag.setdefault(tag, set()).add(key)

    def invalidate(self, key: str) -> bool:
        return self._remove(key)

    def invalidate_prefix(self, prefix: str) -> int:
        # A scan is acceptable here: prefix invalidation is rare (deploys, bulk edits).
        matching = [key for key in self._entries if key.startswith(prefix)]
        return sum(self._remove(key) for key in matching)

    def invalidate_tag(self, tag: str) -> int:
        keys = list(self._by_tag.get(tag, ()))
        return sum(self._remove(key) for key in keys)

    def _remove(self, key: str) -> bool:
        """Drop `key` and its tag index entries; True if it held an unexpired value."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return False
        for tag in entry.tags:
            keys = self._by_tag[tag]
            keys.discard(key)
            if not keys:
                del self._by_tag[tag]
        return self._clock() < entry.expires_at
