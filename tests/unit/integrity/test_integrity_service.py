"""Integrity in the product: stored fingerprints, per-task comparison, leaks, other orgs."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.integrity import repository, service
from assay.integrity.fingerprint import Fingerprint
from assay.integrity.models import (
    AnonymousFingerprint,
    PairKind,
    SimilarityPair,
    SubmissionFingerprint,
)
from tests.factories import OrgFixture, make_org
from tests.integrity_support import (
    COPY,
    INDEPENDENT,
    ORIGINAL,
    SECOND_INDEPENDENT,
    TASK,
    graded_submission,
    starter,
)


@pytest.fixture
def org(db: Session) -> OrgFixture:
    return make_org(db)


def _fingerprinted(db: Session, org: OrgFixture, source: str) -> SubmissionFingerprint:
    submission = graded_submission(db, org, source)
    row = service.fingerprint_submission(db, submission_id=submission.id)
    assert row is not None
    return row


def _compare(db: Session, org: OrgFixture) -> list[SimilarityPair]:
    service.compare_task(db, organization_id=org.organization.id, task_id=TASK, language="python")
    return list(
        db.scalars(
            select(SimilarityPair).where(SimilarityPair.organization_id == org.organization.id)
        )
    )


def test_copy_with_renamed_identifiers_is_flagged_and_independent_work_is_not(
    db: Session, org: OrgFixture
) -> None:
    original = _fingerprinted(db, org, ORIGINAL)
    copy = _fingerprinted(db, org, COPY)
    _fingerprinted(db, org, INDEPENDENT)
    _fingerprinted(db, org, SECOND_INDEPENDENT)
    pairs = _compare(db, org)
    assert len(pairs) == 1, [(p.kind, p.score, p.threshold) for p in pairs]
    pair = pairs[0]
    assert pair.kind == PairKind.SUBMISSION
    assert {pair.submission_a_id, pair.submission_b_id} == {
        original.submission_id,
        copy.submission_id,
    }
    assert pair.score >= pair.threshold
    assert pair.longest_fragment_tokens > 30
    assert pair.fragments
    assert all(f["b_lines"] for f in pair.fragments)


def test_comparing_again_gives_the_same_pairs(db: Session, org: OrgFixture) -> None:
    _fingerprinted(db, org, ORIGINAL)
    _fingerprinted(db, org, COPY)
    first = [(p.submission_a_id, p.submission_b_id, p.score) for p in _compare(db, org)]
    again = [(p.submission_a_id, p.submission_b_id, p.score) for p in _compare(db, org)]
    assert first == again
    assert len(first) == 1


def test_fingerprint_holds_no_source_and_is_made_once(db: Session, org: OrgFixture) -> None:
    row = _fingerprinted(db, org, ORIGINAL)
    again = service.fingerprint_submission(db, submission_id=row.submission_id)
    assert again is not None
    assert again.id == row.id
    stored = json.dumps(row.fingerprint)
    assert "_alive" not in stored
    assert "OrderedDict" not in stored
    anonymous = db.get(AnonymousFingerprint, row.anonymous_id)
    assert anonymous is not None
    assert set(anonymous.hashes) == set(Fingerprint.from_dict(row.fingerprint).hashes)
    assert {c.name for c in AnonymousFingerprint.__table__.columns} == {
        "id",
        "task_id",
        "language",
        "hashes",
    }


def test_starter_code_is_left_out(db: Session, org: OrgFixture) -> None:
    # Two candidates who handed in the starter untouched share all of it, and none of it counts.
    _fingerprinted(db, org, starter())
    _fingerprinted(db, org, starter())
    assert _compare(db, org) == []
    template = service.starter_template(TASK, "python")
    assert template, "the task's starter must be used as the template"


def test_registered_leaked_solution_is_matched(db: Session, org: OrgFixture) -> None:
    copied = _fingerprinted(db, org, COPY)
    _fingerprinted(db, org, INDEPENDENT)
    leaked = service.register_leaked_solution(
        db,
        principal=org.principal,
        task_id=TASK,
        language="python",
        label="Posted on a forum",
        source=ORIGINAL,
    )
    pairs = _compare(db, org)
    assert [(p.kind, p.submission_a_id, p.leaked_solution_id) for p in pairs] == [
        (PairKind.LEAKED, copied.submission_id, leaked.id)
    ]


def test_other_organizations_meet_only_as_anonymous_fingerprints(db: Session) -> None:
    org_a, org_b = make_org(db), make_org(db)
    source = _fingerprinted(db, org_a, ORIGINAL)
    _fingerprinted(db, org_a, INDEPENDENT)
    copy = _fingerprinted(db, org_b, COPY)
    _fingerprinted(db, org_b, SECOND_INDEPENDENT)
    pairs = _compare(db, org_b)
    assert len(pairs) == 1
    pair = pairs[0]
    assert pair.kind == PairKind.ANONYMOUS
    assert pair.submission_a_id == copy.submission_id
    assert pair.submission_b_id is None
    assert pair.leaked_solution_id is None
    assert pair.matches == 1
    assert all(f["b_lines"] is None for f in pair.fragments)
    # And org A sees org B's copy the same way: anonymously.
    seen_by_a = _compare(db, org_a)
    assert [(p.kind, p.submission_a_id) for p in seen_by_a] == [
        (PairKind.ANONYMOUS, source.submission_id)
    ]


def test_grading_queues_fingerprinting_and_the_sweep_finds_what_was_missed(
    db: Session, org: OrgFixture
) -> None:
    submission = graded_submission(db, org, ORIGINAL)
    pending = db.info.get("assay_jobs", [])
    assert (service.FINGERPRINT_JOB, (str(submission.id),)) in pending
    assert submission.id in repository.graded_without_fingerprint(db, limit=100_000)
    service.fingerprint_submission(db, submission_id=submission.id)
    assert (service.COMPARE_JOB, (str(org.organization.id), TASK, "python")) in pending
    assert submission.id not in repository.graded_without_fingerprint(db, limit=100_000)


def test_the_jobs_are_registered_with_the_queue() -> None:
    from assay import jobs

    registered = jobs.registered_jobs()
    assert service.FINGERPRINT_JOB in registered
    assert service.COMPARE_JOB in registered
