"""Keyset (cursor) pagination over records ordered by (created_at, id), with opaque cursors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MAX_LIMIT = 100


@dataclass(frozen=True)
class Record:
    id: int
    created_at: datetime  # timezone-aware
    name: str = ""


@dataclass(frozen=True)
class Page:
    items: list[Record]
    next_cursor: str | None


class InvalidCursor(ValueError):
    """The cursor was not produced by paginate() for this direction."""


def paginate(
    records: Iterable[Record],
    *,
    limit: int,
    cursor: str | None = None,
    descending: bool = False,
) -> Page:
    """One page of `records` (in any order) after `cursor`, sorted by (created_at, id)."""
    raise NotImplementedError
