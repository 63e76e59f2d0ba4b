"""Factories for test data: real rows through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from assay.accounts import service
from assay.accounts.models import Organization, User
from assay.accounts.permissions import Role
from assay.accounts.service import Principal
from assay.kit.hashing import hash_password

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@lru_cache
def password_hash() -> str:
    # Hashing with argon2id costs ~50 ms; teammates share one precomputed hash.
    return hash_password(PASSWORD)


@dataclass
class OrgFixture:
    organization: Organization
    owner: User

    @property
    def principal(self) -> Principal:
        return Principal(
            organization_id=self.organization.id, role=Role.OWNER, user_id=self.owner.id
        )


def make_org(session: Session, *, name: str | None = None) -> OrgFixture:
    n = next(_counter)
    organization, owner = service.signup(
        session,
        organization_name=name or f"Org {n}",
        name=f"Owner {n}",
        email=f"owner{n}@example.com",
        password=PASSWORD,
    )
    return OrgFixture(organization, owner)


def make_member(session: Session, org: OrgFixture, *, role: Role) -> User:
    n = next(_counter)
    user = User(
        organization_id=org.organization.id,
        email=f"member{n}@example.com",
        name=f"Member {n}",
        password_hash=password_hash(),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def principal_for(user: User) -> Principal:
    return Principal(organization_id=user.organization_id, role=user.role, user_id=user.id)
