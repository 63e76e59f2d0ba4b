"""Seed the demo organization, once; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from assay.accounts import repository, service
from assay.accounts.models import User
from assay.accounts.permissions import Role
from assay.kit.hashing import hash_password

DEMO_ORGANIZATION = "Northwind Payments"
DEMO_EMAIL = "owner@demo.assay.test"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by `make run` on purpose: it is the demo
TEAM = [
    ("Priya Raman", "recruiter@demo.assay.test", Role.RECRUITER),
    ("Tomás Silva", "reviewer@demo.assay.test", Role.REVIEWER),
    ("Ada Okafor", "admin@demo.assay.test", Role.ADMIN),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    created: bool


def seed(session: Session) -> DemoLogin:
    if repository.get_user_by_email(session, DEMO_EMAIL) is not None:
        return DemoLogin(DEMO_EMAIL, DEMO_PASSWORD, created=False)
    organization, _owner = service.signup(
        session,
        organization_name=DEMO_ORGANIZATION,
        name="Morgan Demo",
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
    )
    for name, email, role in TEAM:
        session.add(
            User(
                organization_id=organization.id,
                email=email,
                name=name,
                password_hash=hash_password(DEMO_PASSWORD),
                role=role,
            )
        )
    session.flush()
    return DemoLogin(DEMO_EMAIL, DEMO_PASSWORD, created=True)
