"""ORM tables of the accounts domain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assay.accounts.permissions import Role
from assay.db.base import Base, OrgOwnedMixin, RecordMixin

ROLE_ENUM = Enum(
    Role, name="role", native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
)


class Organization(RecordMixin, Base):
    __tablename__ = "organization"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class User(OrgOwnedMixin, Base):
    """A member of one organization's hiring team."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthSession(OrgOwnedMixin, Base):
    """A browser session. The cookie holds a random token; only its digest is stored."""

    __tablename__ = "auth_session"

    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    csrf_secret: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(400), default=None)


class ApiKey(OrgOwnedMixin, Base):
    """An organization's API key: shown once, stored as a digest, acting with a fixed role."""

    __tablename__ = "api_key"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class TeamInvitation(OrgOwnedMixin, Base):
    """An invitation for a teammate to join with a role; accepted once, before it expires."""

    __tablename__ = "team_invitation"

    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
