"""The small hook that queues fingerprinting when grading marks a submission graded.

It listens on the ORM attribute rather than living in the grading service, so grading stays
unaware of integrity; the job is enqueued after the grading transaction commits and dropped if
it rolls back. The sweep in assay.integrity.tasks catches anything this misses.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import object_session

from assay.grading.models import Submission, SubmissionStatus
from assay.jobs import enqueue_after_commit

FINGERPRINT_JOB = "integrity.fingerprint"


@event.listens_for(Submission.status, "set")
def _graded(target: Submission, value: Any, old: Any, _initiator: Any) -> None:
    if value != SubmissionStatus.GRADED or old == SubmissionStatus.GRADED:
        return
    session = object_session(target)
    if session is None or target.id is None:
        return  # not attached yet: the sweep will find it once it is stored
    enqueue_after_commit(session, FINGERPRINT_JOB, str(target.id))
