"""ORM tables of integrity: stored fingerprints, leaked solutions and flagged similarity pairs.

Fingerprints hold hashes and line numbers only (assay.integrity.fingerprint); the anonymous
table, shared by every organization, holds less still: a random id, the task, the language and
a set of hashes, with no organization, submission, candidate, time or line.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin
from assay.kit.clock import utcnow
from assay.kit.ids import new_id


class PairKind:
    """What the second side of a similarity pair is."""

    SUBMISSION = "submission"  # another submission of the same organization
    LEAKED = "leaked"  # a leaked solution an author of the organization registered
    ANONYMOUS = "anonymous"  # an anonymous submission of another organization: no code, no id


class SubmissionFingerprint(OrgOwnedMixin, Base):
    """The fingerprint of one graded submission's source files, concatenated in path order."""

    __tablename__ = "submission_fingerprint"

    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), unique=True
    )
    task_id: Mapped[str] = mapped_column(String(120), index=True)
    language: Mapped[str] = mapped_column(String(16))
    # Fingerprint.to_dict(): hashes, token offsets and line numbers; never source text.
    fingerprint: Mapped[dict[str, Any]] = mapped_column(JSON)
    # [{"path", "first_line", "lines"}]: where each file sits in the concatenation.
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The id of this submission's row in the anonymous table (None: not shared).
    anonymous_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class AnonymousFingerprint(Base):
    """A fingerprint any organization may match against: hashes only, owner unknown."""

    __tablename__ = "anonymous_fingerprint"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(String(120), index=True)
    language: Mapped[str] = mapped_column(String(16))
    # Sorted distinct hashes: neither order, offsets nor lines survive.
    hashes: Mapped[list[int]] = mapped_column(JSON)


class LeakedSolution(OrgOwnedMixin, Base):
    """A solution of a task known to circulate (a forum, a repository), registered by an author."""

    __tablename__ = "leaked_solution"

    task_id: Mapped[str] = mapped_column(String(120), index=True)
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    # The organization's own copy of the leaked code, shown side by side with a submission.
    source: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )


class SimilarityRun(OrgOwnedMixin, Base):
    """The last comparison of one task's submissions in one language within an organization."""

    __tablename__ = "similarity_run"
    __table_args__ = (UniqueConstraint("organization_id", "task_id", "language"),)

    task_id: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float)
    threshold_method: Mapped[str] = mapped_column(String(16))
    submissions: Mapped[int] = mapped_column(Integer)
    pairs: Mapped[int] = mapped_column(Integer)  # pairs the threshold was estimated from
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SimilarityPair(OrgOwnedMixin, Base):
    """Two pieces of code that share more than the task's threshold: evidence for a person."""

    __tablename__ = "similarity_pair"

    task_id: Mapped[str] = mapped_column(String(120), index=True)
    language: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    submission_a_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    submission_b_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True, default=None
    )
    leaked_solution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("leaked_solution.id", ondelete="CASCADE"), default=None
    )
    score: Mapped[float] = mapped_column(Float)
    shared: Mapped[int] = mapped_column(Integer)  # fingerprints in common
    longest_fragment_tokens: Mapped[int] = mapped_column(Integer)
    # [{"a_lines": [from, to], "b_lines": [from, to] | None, "tokens": n}], lines of the
    # concatenated files; an anonymous match has no b side.
    fragments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Anonymous matches: how many other organizations' submissions scored above the threshold.
    matches: Mapped[int] = mapped_column(Integer, default=1)
    threshold: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


# Registered with the tables, so any process that can flush a graded submission has the hook.
from assay.integrity import hooks as _hooks  # noqa: E402, F401
