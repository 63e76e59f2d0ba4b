"""Keyset pagination: one way for every list endpoint (``?limit=&cursor=``)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from assay.errors import BadRequest
from assay.kit.clock import as_utc

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Keyed(Protocol):
    id: uuid.UUID
    created_at: datetime


@dataclass(frozen=True)
class PageParams:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([as_utc(self.created_at).isoformat(), str(self.id)])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            padded = value + "=" * (-len(value) % 4)
            created, ident = json.loads(base64.urlsafe_b64decode(padded.encode()))
            return cls(created_at=as_utc(datetime.fromisoformat(created)), id=uuid.UUID(ident))
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
            raise BadRequest(
                "The cursor is not one this API issued; start again without it.",
                code="invalid_cursor",
            ) from exc


def paginate(
    statement: Select[T],
    *,
    created_at: InstrumentedAttribute[datetime],
    ident: InstrumentedAttribute[uuid.UUID],
    params: PageParams,
) -> Select[T]:
    """Order newest first and start after the cursor; fetch one extra row to know if more exist."""
    if params.cursor:
        cursor = Cursor.decode(params.cursor)
        statement = statement.where(
            or_(
                created_at < cursor.created_at,
                and_(created_at == cursor.created_at, ident < cursor.id),
            )
        )
    return statement.order_by(created_at.desc(), ident.desc()).limit(params.limit + 1)


def next_cursor(rows: Sequence[Keyed], params: PageParams) -> tuple[Sequence[Keyed], str | None]:
    if len(rows) <= params.limit:
        return rows, None
    page = rows[: params.limit]
    last = page[-1]
    return page, Cursor(created_at=last.created_at, id=last.id).encode()
