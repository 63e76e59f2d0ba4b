"""One candidate per email and assessment, also when two requests look at the same moment.

The race is staged by making the look-up miss once, as it does for the second of two requests
whose first has not committed yet: the database's unique constraint then decides. Both the
recruiter's invitation and the public registration link are covered, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.delivery import public, repository, service
from assay.delivery.models import Candidate
from assay.errors import Conflict
from tests.delivery_support import make_assessment
from tests.factories import OrgFixture

EMAIL = "grace@example.com"


def _candidates(db: Session, assessment_id: Any) -> int:
    count = select(func.count()).select_from(Candidate)
    return db.scalar(count.where(Candidate.assessment_id == assessment_id)) or 0


def _miss_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next look-up by email finds nothing, as if the other request had not committed."""
    real = repository.find_candidate_by_email
    calls = {"n": 0}

    def first_misses(*args: Any, **kwargs: Any) -> Candidate | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(repository, "find_candidate_by_email", first_misses)


def test_the_database_refuses_a_second_candidate_with_the_same_email(
    db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    for name in ("Grace", "Grace H."):
        db.add(
            Candidate(
                organization_id=org.organization.id,
                assessment_id=assessment.id,
                name=name,
                email=EMAIL,
            )
        )
    with pytest.raises(IntegrityError), db.begin_nested():
        db.flush()


def test_a_racing_invitation_is_a_conflict_not_a_second_candidate(
    db: Session, org: OrgFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_assessment(db, org)
    invite = {"principal": org.principal, "assessment_id": assessment.id, "email": EMAIL}
    service.invite(db, name="Grace Hopper", **invite)
    _miss_once(monkeypatch)
    with pytest.raises(Conflict, match="already invited") as raised:
        service.invite(db, name="Grace H.", **invite)
    assert raised.value.code == "already_invited"
    assert _candidates(db, assessment.id) == 1


def test_a_racing_public_registration_resumes_the_one_that_won(
    db: Session, org: OrgFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_assessment(db, org)
    link = public.set_public_link(
        db, principal=org.principal, assessment_id=assessment.id, enabled=True
    )
    assert link is not None
    first = public.register(db, slug=link.slug, name="Grace Hopper", email=EMAIL)
    assert not first.resumed
    _miss_once(monkeypatch)
    second = public.register(db, slug=link.slug, name="Grace H.", email=EMAIL)
    assert second.resumed
    assert second.candidate.id == first.candidate.id
    assert _candidates(db, assessment.id) == 1
