"""Identifiers generated in Python, so rows can be referenced before they are flushed."""

from __future__ import annotations

import secrets
import uuid


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)
