"""Keyset (cursor) pagination over records ordered by (created_at, id), with opaque cursors."""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MAX_LIMIT = 100
_CURSOR_CHARS = re.compile(r"[A-Za-z0-9_-]+={0,2}")

Position = tuple[datetime, int]


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
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    after = None if cursor is None else _decode(cursor, descending)
    candidates: Iterable[Record] = records
    if after is not None:
        # Keyset, not offset: a position survives inserts and deletes before it.
        if descending:
            candidates = (r for r in records if _position(r) < after)
        else:
            candidates = (r for r in records if _position(r) > after)
    pick = heapq.nlargest if descending else heapq.nsmallest
    # One record more than asked for tells whether another page exists.
    window = pick(limit + 1, candidates, key=_position)
    items = window[:limit]
    next_cursor = _encode(_position(items[-1]), descending) if len(window) > limit else None
    return Page(items=items, next_cursor=next_cursor)


def _position(record: Record) -> Position:
    return (record.created_at, record.id)


def _encode(position: Position, descending: bool) -> str:
    created_at, record_id = position
    body = {"t": created_at.isoformat(timespec="seconds"), "id": record_id, "d": "desc" if descending else "asc"}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, descending: bool) -> Position:
    if not isinstance(cursor, str) or not _CURSOR_CHARS.fullmatch(cursor):
        raise InvalidCursor("malformed cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor.rstrip("=") + "=" * (-len(cursor.rstrip("=")) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    if not isinstance(body, dict) or set(body) != {"t", "id", "d"}:
        raise InvalidCursor("malformed cursor")
    if body["d"] != ("desc" if descending else "asc"):
        raise InvalidCursor("the cursor belongs to the other sort direction")
    record_id, stamp = body["id"], body["t"]
    if not isinstance(record_id, int) or isinstance(record_id, bool) or not isinstance(stamp, str):
        raise InvalidCursor("malformed cursor")
    try:
        created_at = datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise InvalidCursor("malformed cursor") from exc
    if created_at.tzinfo is None:
        raise InvalidCursor("malformed cursor")
    return (created_at, record_id)
