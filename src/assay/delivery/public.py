"""Public self-registration: an assessment's optional shared link where people invite themselves.

The link is off unless a recruiter turns it on. A person who opens it gives a name and email
and gets their own invitation, exactly like one a recruiter sends. The same email twice resumes
that invitation (a fresh personal link goes to the mailbox only, never to the screen, so knowing
someone's address is not enough to take over their attempt). The link closes with the
assessment's deadline or when the assessment closes. Registrations are rate-limited per IP.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments import repository as assessments_repository
from assay.assessments import service as assessments_service
from assay.assessments.models import Assessment, AssessmentStatus
from assay.config import get_settings
from assay.delivery import repository, service
from assay.delivery.models import Candidate, PublicLink
from assay.errors import Conflict, Gone, NotFound, RateLimited
from assay.kit.clock import utcnow
from assay.kit.hashing import token_digest
from assay.kit.ids import new_token

REGISTRATIONS_PER_IP = "10/hour"
NOT_FOUND = "This registration link is not valid. Check that you copied all of it."


def join_url(link: PublicLink) -> str:
    return f"{get_settings().base_url}/apply/{link.slug}"


# --- the recruiter's switch ----------------------------------------------------------------


def public_link_of(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID
) -> PublicLink | None:
    assessments_service.get_or_raise(session, principal=principal, assessment_id=assessment_id)
    return repository.public_link_of(
        session, organization_id=principal.organization_id, assessment_id=assessment_id
    )


def set_public_link(
    session: Session, *, principal: Principal, assessment_id: uuid.UUID, enabled: bool
) -> PublicLink | None:
    """Turn the link on (made once, the same address every time after) or off."""
    principal.require(Permission.MANAGE_CANDIDATES)
    link = public_link_of(session, principal=principal, assessment_id=assessment_id)
    if link is None and not enabled:
        return None
    if link is None:
        link = PublicLink(
            organization_id=principal.organization_id,
            assessment_id=assessment_id,
            slug=new_token(),
        )
        session.add(link)
    link.enabled = enabled
    session.flush()
    return link


def is_open(assessment: Assessment) -> bool:
    if assessment.status is not AssessmentStatus.OPEN:
        return False
    return assessment.deadline is None or assessment.deadline > utcnow()


# --- the public page -----------------------------------------------------------------------


def open_public(session: Session, *, slug: str) -> tuple[PublicLink, Assessment]:
    """The link and its assessment, or 404 (unknown, or turned off) / 410 (closed)."""
    if not slug or len(slug) > 64:
        raise NotFound(NOT_FOUND, code="invalid_link")
    link = repository.public_link_by_slug(session, slug)
    if link is None or not link.enabled:
        raise NotFound(NOT_FOUND, code="invalid_link")
    assessment = assessments_repository.get_assessment(
        session, organization_id=link.organization_id, assessment_id=link.assessment_id
    )
    if assessment is None:
        raise NotFound(NOT_FOUND, code="invalid_link")
    if not is_open(assessment):
        raise Gone("Registration for this assessment has closed.", code="registration_closed")
    return link, assessment


@dataclass(frozen=True)
class Registration:
    """The outcome: ``token`` only for a new registration; a resumed one was mailed its link."""

    candidate: Candidate
    token: str | None
    resumed: bool


def register(session: Session, *, slug: str, name: str, email: str) -> Registration:
    _link, assessment = open_public(session, slug=slug)
    existing = _registered(session, assessment, email)
    if existing is None:
        try:
            candidate, _invitation, token = service.create_invitation(
                session, assessment=assessment, name=name, email=email
            )
            return Registration(candidate, token, resumed=False)
        except Conflict as error:
            # The same address registered at the same moment: that registration won; resume it.
            existing = _registered(session, assessment, email)
            if error.code != "already_invited" or existing is None:
                raise
    invitation = repository.get_invitation_of(
        session, organization_id=existing.organization_id, candidate_id=existing.id
    )
    if invitation is not None and invitation.revoked_at is None:
        # A new token for the same invitation: the attempt and answers carry on.
        fresh = new_token()
        invitation.token_digest = token_digest(fresh)
        service.mail_invitation(
            session,
            assessment=assessment,
            candidate=existing,
            invitation=invitation,
            token=fresh,
            reminder=False,
        )
    return Registration(existing, None, resumed=True)


def _registered(session: Session, assessment: Assessment, email: str) -> Candidate | None:
    return repository.find_candidate_by_email(
        session,
        organization_id=assessment.organization_id,
        assessment_id=assessment.id,
        email=email,
    )


@lru_cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def check_rate(*, ip: str) -> None:
    """At most REGISTRATIONS_PER_IP registrations from one address (the login limits' pattern)."""
    limiter = _limiter(get_settings().rate_limit_storage)
    item = parse(REGISTRATIONS_PER_IP)
    if not limiter.hit(item, "public-registration", f"ip:{ip}"):
        reset_at = limiter.get_window_stats(item, "public-registration", f"ip:{ip}").reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise RateLimited(
            f"Too many registrations from your network. Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


def reset_rate() -> None:
    """Forget every registration counter (tests)."""
    _limiter(get_settings().rate_limit_storage).storage.reset()
