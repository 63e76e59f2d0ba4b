"""Idempotent payment requests: one charge per idempotency key, however often a client retries."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Payload = Mapping[str, Any]
Result = dict[str, Any]


class IdempotencyConflict(Exception):
    """The idempotency key was already used with a different payload."""


@dataclass
class _Entry:
    payload: dict[str, Any]
    fingerprint: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    result: Result | None = None
    stored_at: float = 0.0


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
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def handle(self, key: str, payload: Payload) -> Result:
        if not key:
            raise ValueError("an idempotency key is required")
        request = copy.deepcopy(dict(payload))
        while True:
            entry, owner = self._claim(key, request)
            if owner:
                return self._process(key, entry)
            entry.done.wait()
            if entry.result is not None:
                return copy.deepcopy(entry.result)
            # The request we waited for failed and released the key: claim it again.

    def _claim(self, key: str, request: dict[str, Any]) -> tuple[_Entry, bool]:
        """The key's current entry and whether this caller must process it (atomically)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and self._expired(entry):
                del self._entries[key]
                entry = None
            if entry is None:
                entry = _Entry(payload=request, fingerprint=json.dumps(request))
                self._entries[key] = entry
                return entry, True
            if entry.fingerprint != json.dumps(request):
                raise IdempotencyConflict(f"key {key!r} was used with a different payload")
            return entry, False

    def _expired(self, entry: _Entry) -> bool:
        """Whether a stored result has outlived the TTL (an in-flight entry never expires)."""
        return entry.result is not None and self._clock() >= entry.stored_at + self._ttl

    def _process(self, key: str, entry: _Entry) -> Result:
        try:
            result = self._processor(copy.deepcopy(entry.payload))
        except BaseException:
            # A failed charge stores nothing: the client may retry with the same key.
            with self._lock:
                del self._entries[key]
            entry.done.set()
            raise
        with self._lock:
            entry.result = copy.deepcopy(result)
            entry.stored_at = self._clock()
        entry.done.set()
        return copy.deepcopy(result)
