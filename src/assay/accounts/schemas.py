"""Pydantic input and output shapes of the accounts domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from assay.accounts.permissions import Role

PASSWORD_MIN = 12
PASSWORD_MAX = 128
_COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "123456789012",
        "qwertyuiopas",
        "passwordpassword",
        "iloveyou1234",
        "letmein12345",
        "administrator",
        "welcome12345",
        "changeme1234",
        "correcthorse",
    }
)


def normalize_email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from None


def check_password_policy(password: str) -> str:
    """The documented policy (docs/api.md): 12 to 128 characters, not common, not trivial."""
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"the password must be at least {PASSWORD_MIN} characters long")
    if len(password) > PASSWORD_MAX:
        raise ValueError(f"the password must be at most {PASSWORD_MAX} characters long")
    if len(set(password)) < 4 or password.lower() in _COMMON_PASSWORDS:
        raise ValueError("the password is too easy to guess; use a longer passphrase")
    return password


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(normalize_email)]
Password = Annotated[str, AfterValidator(check_password_policy)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    """Input models reject unknown fields, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class SignupCreate(Strict):
    organization_name: Name
    name: Name
    email: Email
    password: Password


class LoginCreate(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=PASSWORD_MAX)]


class InvitationCreate(Strict):
    email: Email
    role: Role


class InvitationAccept(Strict):
    name: Name
    password: Password


class MemberUpdate(Strict):
    role: Role


class ApiKeyCreate(Strict):
    name: Name = Field(max_length=100)
    role: Role = Role.RECRUITER


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrganizationOut(Out):
    id: uuid.UUID
    name: str
    slug: str
    created_at: datetime


class MemberOut(Out):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class SignupOut(BaseModel):
    organization: OrganizationOut
    user: MemberOut


class InvitationOut(Out):
    id: uuid.UUID
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class ApiKeyOut(Out):
    id: uuid.UUID
    name: str
    prefix: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret key. Shown only in this response; store it now.")
