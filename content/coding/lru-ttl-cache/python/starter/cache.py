"""An in-process LRU cache with per-entry TTL and invalidation by key, prefix and tag."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any


class LruTtlCache:
    """Holds at most `max_entries` entries; evicts the least recently used one when full."""

    def __init__(
        self,
        max_entries: int,
        *,
        default_ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        raise NotImplementedError

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under `key`, or `default` if it is missing or expired."""
        raise NotImplementedError

    def put(
        self,
        key: str,
        value: Any,
        *,
        ttl: float | None = None,
        tags: Iterable[str] = (),
    ) -> None:
        """Store `value` under `key` (replacing any previous entry), evicting the LRU if full."""
        raise NotImplementedError

    def invalidate(self, key: str) -> bool:
        """Remove `key`; True if it held an unexpired value."""
        raise NotImplementedError

    def invalidate_prefix(self, prefix: str) -> int:
        """Remove every key starting with `prefix`; the number of unexpired entries removed."""
        raise NotImplementedError

    def invalidate_tag(self, tag: str) -> int:
        """Remove every entry tagged `tag`; the number of unexpired entries removed."""
        raise NotImplementedError
