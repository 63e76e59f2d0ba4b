"""Time rules of an attempt, as pure functions: the server's clock decides every limit."""

from __future__ import annotations

import math
from datetime import datetime, timedelta


def section_limit(*, minutes: int, time_factor: float, extra_minutes: int = 0) -> timedelta:
    """A section's time: its minutes times the accommodation factor, plus any added minutes."""
    return timedelta(minutes=minutes * time_factor + extra_minutes)


def remaining_seconds(*, deadline: datetime, now: datetime) -> int:
    """Whole seconds left, rounded down so the countdown never promises time the server denies."""
    return max(0, math.floor((deadline - now).total_seconds()))


def is_late(*, deadline: datetime, now: datetime) -> bool:
    return now >= deadline
