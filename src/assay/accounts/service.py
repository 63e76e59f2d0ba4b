"""Business rules of the accounts domain. Functions take the session and never commit."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from assay.accounts import repository
from assay.accounts.models import ApiKey, AuthSession, Organization, TeamInvitation, User
from assay.accounts.permissions import Permission, Role, allows, can_grant
from assay.accounts.schemas import normalize_email
from assay.config import get_settings
from assay.errors import Conflict, Gone, NotAuthenticated, NotFound, PermissionDenied
from assay.kit.clock import utcnow
from assay.kit.hashing import hash_password, password_needs_rehash, token_digest, verify_password
from assay.kit.ids import new_token
from assay.mail import service as mail

API_KEY_PREFIX = "assay_"
INVITATION_DAYS = 7


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in person or an API key, always inside one organization."""

    organization_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    csrf_secret: str | None = None

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"Your role ({self.role.value}) may not do this; it needs '{permission.value}'."
            )


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "org"


def signup(
    session: Session, *, organization_name: str, name: str, email: str, password: str
) -> tuple[Organization, User]:
    if repository.get_user_by_email(session, email) is not None:
        raise Conflict(
            "An account with this email already exists; log in instead.", code="email_taken"
        )
    slug = _slugify(organization_name)
    while repository.slug_taken(session, slug):
        slug = f"{_slugify(organization_name)[:50]}-{secrets.token_hex(3)}"
    organization = Organization(name=organization_name, slug=slug)
    session.add(organization)
    session.flush()
    user = User(
        organization_id=organization.id,
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=Role.OWNER,
    )
    session.add(user)
    session.flush()
    return organization, user


def authenticate(session: Session, *, email: str, password: str) -> User:
    try:
        email = normalize_email(email)
    except ValueError:
        email = email.strip().lower()
    user = repository.get_user_by_email(session, email)
    # verify_password runs even for unknown emails, so timing does not reveal who has an account.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise NotAuthenticated("The email or password is wrong.", code="invalid_credentials")
    if not user.is_active:
        raise NotAuthenticated("This account has been deactivated.", code="account_inactive")
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(
    session: Session, *, user: User, ip: str | None, user_agent: str | None
) -> tuple[AuthSession, str]:
    """A fresh session id at every log-in (no fixation); returns the row and the cookie token."""
    token = new_token()
    auth_session = AuthSession(
        organization_id=user.organization_id,
        user_id=user.id,
        token_digest=token_digest(token),
        csrf_secret=secrets.token_hex(32),
        expires_at=utcnow() + timedelta(days=get_settings().session_days),
        ip=ip,
        user_agent=(user_agent or "")[:400] or None,
    )
    user.last_login_at = utcnow()
    session.add(auth_session)
    session.flush()
    return auth_session, token


def resolve_session(session: Session, token: str) -> tuple[Principal, User] | None:
    row = repository.get_auth_session(session, token_digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    user = repository.get_user(session, organization_id=row.organization_id, user_id=row.user_id)
    if user is None or not user.is_active:
        return None
    principal = Principal(
        organization_id=user.organization_id,
        role=user.role,
        user_id=user.id,
        session_id=row.id,
        csrf_secret=row.csrf_secret,
    )
    return principal, user


def end_session(session: Session, token: str) -> None:
    row = repository.get_auth_session(session, token_digest(token))
    if row is not None:
        session.delete(row)


def resolve_api_key(session: Session, key: str) -> Principal:
    row = repository.get_api_key_by_digest(session, token_digest(key))
    if row is None:
        raise NotAuthenticated("The API key is not valid.", code="invalid_api_key")
    if row.revoked_at is not None:
        raise NotAuthenticated("The API key has been revoked.", code="revoked_api_key")
    row.last_used_at = utcnow()
    return Principal(organization_id=row.organization_id, role=row.role, api_key_id=row.id)


def get_member_or_raise(session: Session, *, principal: Principal, user_id: uuid.UUID) -> User:
    principal.require(Permission.VIEW_TEAM)
    user = repository.get_user(session, organization_id=principal.organization_id, user_id=user_id)
    if user is None:
        raise NotFound("No such member in your organization.")
    return user


def change_role(session: Session, *, principal: Principal, user_id: uuid.UUID, role: Role) -> User:
    principal.require(Permission.MANAGE_TEAM)
    user = get_member_or_raise(session, principal=principal, user_id=user_id)
    if not (can_grant(principal.role, role) and can_grant(principal.role, user.role)):
        raise PermissionDenied(
            f"Your role ({principal.role.value}) may not change this member to {role.value}."
        )
    if user.role is Role.OWNER and role is not Role.OWNER:
        _keep_an_owner(session, organization_id=principal.organization_id)
    user.role = role
    return user


def remove_member(session: Session, *, principal: Principal, user_id: uuid.UUID) -> None:
    principal.require(Permission.MANAGE_TEAM)
    user = get_member_or_raise(session, principal=principal, user_id=user_id)
    if not can_grant(principal.role, user.role):
        raise PermissionDenied(
            f"Your role ({principal.role.value}) may not remove a {user.role.value}."
        )
    if user.role is Role.OWNER:
        _keep_an_owner(session, organization_id=principal.organization_id)
    user.is_active = False
    repository.delete_sessions_of(
        session, organization_id=principal.organization_id, user_id=user.id
    )


def _keep_an_owner(session: Session, *, organization_id: uuid.UUID) -> None:
    if repository.count_owners(session, organization_id=organization_id) <= 1:
        raise Conflict(
            "An organization needs at least one owner; make someone else owner first.",
            code="last_owner",
        )


def invite_teammate(
    session: Session, *, principal: Principal, email: str, role: Role
) -> tuple[TeamInvitation, str]:
    principal.require(Permission.MANAGE_TEAM)
    if not can_grant(principal.role, role):
        raise PermissionDenied(f"Your role ({principal.role.value}) may not invite a {role.value}.")
    if repository.get_user_by_email(session, email) is not None:
        raise Conflict("Someone with this email already has an Assay account.", code="email_taken")
    token = new_token()
    invitation = TeamInvitation(
        organization_id=principal.organization_id,
        email=email,
        role=role,
        token_digest=token_digest(token),
        invited_by_id=principal.user_id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    organization = repository.get_organization(session, principal.organization_id)
    org_name = organization.name if organization else "your team"
    link = f"{get_settings().base_url}/join/{token}"
    mail.send(
        session,
        organization_id=principal.organization_id,
        category="team",
        to=email,
        subject=f"You are invited to join {org_name} on Assay",
        body=(
            f"You have been invited to join {org_name} on Assay as {role.value}.\n\n"
            f"Accept the invitation and choose a password here:\n{link}\n\n"
            f"The link expires in {INVITATION_DAYS} days."
        ),
    )
    return invitation, token


def find_open_invitation(session: Session, token: str) -> TeamInvitation:
    invitation = repository.get_invitation_by_digest(session, token_digest(token))
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("This invitation link is not valid. Ask your team for a new one.")
    if invitation.accepted_at is not None:
        raise Gone(
            "This invitation has already been accepted; log in instead.", code="invitation_used"
        )
    if invitation.expires_at <= utcnow():
        raise Gone(
            "This invitation has expired. Ask your team for a new one.", code="invitation_expired"
        )
    return invitation


def accept_invitation(session: Session, *, token: str, name: str, password: str) -> User:
    invitation = find_open_invitation(session, token)
    if repository.get_user_by_email(session, invitation.email) is not None:
        raise Conflict("Someone with this email already has an Assay account.", code="email_taken")
    user = User(
        organization_id=invitation.organization_id,
        email=invitation.email,
        name=name,
        password_hash=hash_password(password),
        role=invitation.role,
    )
    invitation.accepted_at = utcnow()
    session.add(user)
    session.flush()
    return user


def revoke_invitation(
    session: Session, *, principal: Principal, invitation_id: uuid.UUID
) -> TeamInvitation:
    principal.require(Permission.MANAGE_TEAM)
    invitation = repository.get_invitation(
        session, organization_id=principal.organization_id, invitation_id=invitation_id
    )
    if invitation is None:
        raise NotFound("No such invitation in your organization.")
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
    return invitation


def create_api_key(
    session: Session, *, principal: Principal, name: str, role: Role
) -> tuple[ApiKey, str]:
    principal.require(Permission.MANAGE_API_KEYS)
    if role is Role.OWNER or not can_grant(principal.role, role):
        raise PermissionDenied(
            "An API key may act as admin, recruiter or reviewer, up to your own role."
        )
    key = API_KEY_PREFIX + new_token()
    api_key = ApiKey(
        organization_id=principal.organization_id,
        name=name,
        prefix=key[: len(API_KEY_PREFIX) + 6],
        key_digest=token_digest(key),
        role=role,
        created_by_id=principal.user_id,
    )
    session.add(api_key)
    session.flush()
    return api_key, key


def get_api_key_or_raise(session: Session, *, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    principal.require(Permission.MANAGE_API_KEYS)
    api_key = repository.get_api_key(
        session, organization_id=principal.organization_id, key_id=key_id
    )
    if api_key is None:
        raise NotFound("No such API key in your organization.")
    return api_key


def revoke_api_key(session: Session, *, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    api_key = get_api_key_or_raise(session, principal=principal, key_id=key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
    return api_key
