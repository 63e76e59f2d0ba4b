"""Every query of the accounts domain; organization-owned rows are always scoped to one org."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.models import ApiKey, AuthSession, Organization, TeamInvitation, User
from assay.accounts.permissions import Role
from assay.kit.pagination import PageParams, paginate


def get_organization(session: Session, organization_id: uuid.UUID) -> Organization | None:
    return session.get(Organization, organization_id)


def slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(func.count()).where(Organization.slug == slug)) != 0


def get_user_by_email(session: Session, email: str) -> User | None:
    # Unscoped on purpose: log-in and sign-up look a person up before any org is known.
    return session.scalar(select(User).where(User.email == email))


def get_user(session: Session, *, organization_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    return session.scalar(
        select(User).where(User.organization_id == organization_id, User.id == user_id)
    )


def list_users(session: Session, *, organization_id: uuid.UUID, page: PageParams) -> Sequence[User]:
    statement = select(User).where(User.organization_id == organization_id)
    return session.scalars(
        paginate(statement, created_at=User.created_at, ident=User.id, params=page)
    ).all()


def count_owners(session: Session, *, organization_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                User.organization_id == organization_id,
                User.role == Role.OWNER,
                User.is_active.is_(True),
            )
        )
        or 0
    )


def get_auth_session(session: Session, token_digest: str) -> AuthSession | None:
    return session.scalar(select(AuthSession).where(AuthSession.token_digest == token_digest))


def delete_sessions_of(session: Session, *, organization_id: uuid.UUID, user_id: uuid.UUID) -> None:
    for row in session.scalars(
        select(AuthSession).where(
            AuthSession.organization_id == organization_id, AuthSession.user_id == user_id
        )
    ):
        session.delete(row)


def get_api_key_by_digest(session: Session, key_digest: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.key_digest == key_digest))


def get_api_key(
    session: Session, *, organization_id: uuid.UUID, key_id: uuid.UUID
) -> ApiKey | None:
    return session.scalar(
        select(ApiKey).where(ApiKey.organization_id == organization_id, ApiKey.id == key_id)
    )


def list_api_keys(
    session: Session, *, organization_id: uuid.UUID, page: PageParams
) -> Sequence[ApiKey]:
    statement = select(ApiKey).where(ApiKey.organization_id == organization_id)
    return session.scalars(
        paginate(statement, created_at=ApiKey.created_at, ident=ApiKey.id, params=page)
    ).all()


def get_invitation(
    session: Session, *, organization_id: uuid.UUID, invitation_id: uuid.UUID
) -> TeamInvitation | None:
    return session.scalar(
        select(TeamInvitation).where(
            TeamInvitation.organization_id == organization_id, TeamInvitation.id == invitation_id
        )
    )


def get_invitation_by_digest(session: Session, token_digest: str) -> TeamInvitation | None:
    return session.scalar(select(TeamInvitation).where(TeamInvitation.token_digest == token_digest))


def list_invitations(
    session: Session, *, organization_id: uuid.UUID, page: PageParams
) -> Sequence[TeamInvitation]:
    statement = select(TeamInvitation).where(TeamInvitation.organization_id == organization_id)
    return session.scalars(
        paginate(
            statement, created_at=TeamInvitation.created_at, ident=TeamInvitation.id, params=page
        )
    ).all()
