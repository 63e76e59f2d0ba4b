"""Idempotent payment requests: one charge per idempotency key, however often a client retries."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any


class IdempotencyConflict(Exception):
    """The idempotency key was already used with a different payload."""


class PaymentHandler:
    """Runs `processor` at most once per idempotency key and replays its stored result."""

    def __init__(
        self,
        processor: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        ttl_seconds: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        raise NotImplementedError

    def handle(self, key: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Process `payload` once for `key`; replay the stored result for retries."""
        raise NotImplementedError
