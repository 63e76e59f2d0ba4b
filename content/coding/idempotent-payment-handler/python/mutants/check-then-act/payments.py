"""Idempotent payment requests: one charge per idempotency key, however often a client retries."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

Payload = Mapping[str, Any]
Result = dict[str, Any]


class IdempotencyConflict(Exception):
    """The idempotency key was already used with a different payload."""


class PaymentHandler:
    """Runs `processor` at most once per idempotency key and replays its stored result."""

    def __init__(
        self,
        processor: Callable[[dict[str, Any]], Result],
        *,
        ttl_seconds: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        self._processor = processor
        self._ttl = ttl_seconds
        self._clock = clock
        # key -> (payload, result, stored_at)
        self._stored: dict[str, tuple[dict[str, Any], Result, float]] = {}
        self._lock = threading.Lock()

    def handle(self, key: str, payload: Payload) -> Result:
        if not key:
            raise ValueError("an idempotency key is required")
        request = copy.deepcopy(dict(payload))
        with self._lock:
            stored = self._stored.get(key)
            if stored is not None and self._clock() >= stored[2] + self._ttl:
                del self._stored[key]
                stored = None
        if stored is not None:
            if stored[0] != request:
                raise IdempotencyConflict(f"key {key!r} was used with a different payload")
            return copy.deepcopy(stored[1])
        result = self._processor(copy.deepcopy(request))
        with self._lock:
            self._stored[key] = (request, copy.deepcopy(result), self._clock())
        return copy.deepcopy(result)
