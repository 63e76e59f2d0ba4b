"""Two simultaneous first saves with one idempotency key: both answer with the winner's receipt.

The race needs two real transactions that commit, so this test commits its own organization
and deletes it (with everything it owns) at the end, so other tests never see it. Only
PostgreSQL lets a second writer wait on the unique index and then read the winner; SQLite
serialises whole transactions, so there the loser gets a retryable error and this test skips.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from assay.delivery import service
from assay.delivery.models import Response, SaveReceipt
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_org

WAIT_LIMIT_SECONDS = 30  # a bound on waiting for the second writer to block, not a timing claim


def _blocked_writers(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
            or 0
        )


@pytest.mark.db
def test_simultaneous_first_saves_with_one_key_share_the_winning_receipt(engine: Any) -> None:
    assert isinstance(engine, Engine)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    with Session(engine, expire_on_commit=False) as setup:
        org = make_org(setup, name=f"Race {uuid.uuid4().hex[:6]}")
        setup.commit()
    try:
        _race(engine, org)
    finally:
        # Everything the organization owns goes with it (attempts first: they restrict forms).
        with engine.begin() as connection:
            params = {"org": org.organization.id}
            connection.execute(text("DELETE FROM attempt WHERE organization_id = :org"), params)
            connection.execute(text("DELETE FROM organization WHERE id = :org"), params)


def _race(engine: Engine, org: OrgFixture) -> None:
    with Session(engine, expire_on_commit=False) as setup:
        setup.add(org.organization)
        setup.add(org.owner)
        assessment = make_assessment(setup, org)
        _candidate, token = invite(setup, org, assessment)
        access = service.start(setup, token=token, browser_id="b1", ip=None, user_agent=None)
        assert access.attempt is not None
        item = service.delivered_items(service.form_of(setup, access).sections[0])[0]
        answer = {"selected": [item["option_order"][0]]}
        setup.commit()

    def save(session: Session) -> service.SaveResult:
        access = service.resolve(session, token=token)
        return service.save(
            session, access=access, item_id="q1-1", answer=answer, sequence=1, idempotency_key="k1"
        )

    outcome: dict[str, Any] = {}

    def loser() -> None:
        with Session(engine) as session:
            try:
                outcome["result"] = save(session)
                session.commit()
            except Exception as exc:  # reported to the main thread below
                outcome["error"] = exc

    with Session(engine) as winner_session:
        winner = save(winner_session)  # flushed, not yet committed: the index entry is taken
        thread = threading.Thread(target=loser)
        thread.start()
        waited = time.monotonic()
        while _blocked_writers(engine) == 0 and thread.is_alive():
            assert time.monotonic() - waited < WAIT_LIMIT_SECONDS, "the loser never blocked"
            time.sleep(0.05)
        winner_session.commit()
    thread.join(WAIT_LIMIT_SECONDS)
    assert "error" not in outcome, repr(outcome.get("error"))
    result = outcome["result"]
    assert (winner.applied, winner.replayed) == (True, False)
    assert (result.applied, result.replayed, result.sequence) == (True, True, 1)
    with Session(engine) as check:
        attempt_id = access.attempt.id
        responses = check.scalar(
            select(func.count()).select_from(Response).where(Response.attempt_id == attempt_id)
        )
        receipts = check.scalar(
            select(func.count())
            .select_from(SaveReceipt)
            .where(SaveReceipt.attempt_id == attempt_id)
        )
    assert (responses, receipts) == (1, 1)
