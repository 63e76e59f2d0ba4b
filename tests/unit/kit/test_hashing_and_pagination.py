"""Password hashing and cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from assay.errors import BadRequest
from assay.kit.hashing import hash_password, verify_password
from assay.kit.pagination import Cursor


def test_argon2id_round_trip() -> None:
    stored = hash_password("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long enough passphrase")
    assert not verify_password(stored, "a long enough passphrasE")
    assert not verify_password(None, "a long enough passphrase")
    assert not verify_password("garbage", "x")


def test_cursor_round_trip_and_rejects_garbage() -> None:
    cursor = Cursor(created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), id=uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor
    with pytest.raises(BadRequest):
        Cursor.decode("not-base64!")
