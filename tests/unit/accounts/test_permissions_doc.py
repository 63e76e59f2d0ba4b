"""docs/permissions.md says exactly what the code enforces."""

from __future__ import annotations

import re
from pathlib import Path

from assay.accounts.permissions import ROLE_PERMISSIONS, Permission, Role, can_grant

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def documented_matrix() -> dict[tuple[str, str], bool]:
    rows = [line for line in DOC.read_text().splitlines() if line.startswith("| `")]
    header = next(line for line in DOC.read_text().splitlines() if line.startswith("| Permission"))
    roles = [cell.strip().lower() for cell in header.strip("|").split("|")[1:]]
    matrix = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        permission = re.sub(r"`", "", cells[0])
        for role, cell in zip(roles, cells[1:], strict=True):
            matrix[(permission, role)] = cell == "yes"
    return matrix


def test_doc_matches_the_code() -> None:
    matrix = documented_matrix()
    expected = {
        (permission.value, role.value): permission in ROLE_PERMISSIONS[role]
        for permission in Permission
        for role in Role
    }
    assert matrix == expected


def test_granting_rules() -> None:
    assert can_grant(Role.OWNER, Role.OWNER)
    assert not can_grant(Role.ADMIN, Role.OWNER)
    assert can_grant(Role.ADMIN, Role.ADMIN)
    assert not can_grant(Role.RECRUITER, Role.REVIEWER)
