"""Background work of human review: the sweep that sends new written answers to reviewers."""

from __future__ import annotations

from assay.db.engine import transaction
from assay.jobs import sweep
from assay.results import review


@sweep
def assign_reviewers() -> None:
    """Each minute: every written answer of a finished attempt gets its reviewers (idempotent:
    an answer that has them is skipped, and a reviewer is never assigned one answer twice)."""
    with transaction() as session:
        review.assign_pending(session)
