"""Log-in rate limits per account and per IP, on the `limits` library (memory or Redis storage)."""

from __future__ import annotations

import math
import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assay.config import get_settings
from assay.errors import RateLimited


@lru_cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def _check(limiter: MovingWindowRateLimiter, item: RateLimitItem, key: str, what: str) -> None:
    if not limiter.hit(item, "login", key):
        reset_at = limiter.get_window_stats(item, "login", key).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise RateLimited(
            f"Too many log-in attempts {what}. Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


def check_login(*, email: str, ip: str) -> None:
    settings = get_settings()
    limiter = _limiter(settings.rate_limit_storage)
    _check(limiter, parse(settings.login_attempts_per_ip), f"ip:{ip}", "from your network")
    _check(
        limiter,
        parse(settings.login_attempts_per_account),
        f"account:{email.strip().lower()}",
        "for this account",
    )


def reset_storage() -> None:
    """Forget every counter (tests and `assay` maintenance)."""
    for limiter in [_limiter(get_settings().rate_limit_storage)]:
        limiter.storage.reset()
