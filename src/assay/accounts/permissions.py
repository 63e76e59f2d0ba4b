"""Roles and what each may do: the one table that docs/permissions.md describes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    RECRUITER = "recruiter"
    REVIEWER = "reviewer"


class Permission(StrEnum):
    VIEW_ORGANIZATION = "organization:view"
    MANAGE_ORGANIZATION = "organization:manage"
    VIEW_TEAM = "team:view"
    MANAGE_TEAM = "team:manage"
    MANAGE_OWNERS = "team:manage-owners"
    MANAGE_API_KEYS = "api-keys:manage"
    VIEW_ASSESSMENTS = "assessments:view"
    MANAGE_ASSESSMENTS = "assessments:manage"
    MANAGE_CANDIDATES = "candidates:manage"
    VIEW_RESULTS = "results:view"
    DECIDE = "candidates:decide"
    REVIEW = "answers:review"
    MANAGE_CONTENT = "content:manage"


_REVIEWER = frozenset({Permission.VIEW_ORGANIZATION, Permission.VIEW_TEAM, Permission.REVIEW})
_RECRUITER = _REVIEWER | {
    Permission.VIEW_ASSESSMENTS,
    Permission.MANAGE_ASSESSMENTS,
    Permission.MANAGE_CANDIDATES,
    Permission.VIEW_RESULTS,
    Permission.DECIDE,
}
_ADMIN = _RECRUITER | {
    Permission.MANAGE_TEAM,
    Permission.MANAGE_API_KEYS,
    Permission.MANAGE_CONTENT,
}
_OWNER = _ADMIN | {Permission.MANAGE_ORGANIZATION, Permission.MANAGE_OWNERS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.RECRUITER: frozenset(_RECRUITER),
    Role.REVIEWER: _REVIEWER,
}

# Higher rank may grant roles up to its own; only owners grant or remove owners.
ROLE_RANK: dict[Role, int] = {Role.REVIEWER: 1, Role.RECRUITER: 2, Role.ADMIN: 3, Role.OWNER: 4}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def can_grant(granter: Role, role: Role) -> bool:
    if role is Role.OWNER:
        return allows(granter, Permission.MANAGE_OWNERS)
    return allows(granter, Permission.MANAGE_TEAM) and ROLE_RANK[granter] >= ROLE_RANK[role]
