"""The candidate's pages render every item kind, resume saved answers, and never show keys."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture


def test_landing_work_and_done_pages(client: TestClient, db: Session, org: OrgFixture) -> None:
    assessment = make_assessment(db, org, intro="Welcome to Globex.")
    _candidate, token = invite(db, org, assessment)
    landing = client.get(f"/take/{token}")
    assert landing.status_code == 200
    assert "Welcome to Globex." in landing.text
    assert "What is recorded" in landing.text
    assert "Privacy" in landing.text
    assert client.get(f"/take/{token}/work", follow_redirects=False).status_code == 303
    client.post(f"/take/{token}/api/start")
    kinds = set()
    for _section in range(6):
        page = client.get(f"/take/{token}/work")
        if page.url.path.endswith("/done"):
            break
        assert page.status_code == 200, page.text
        assert '"correct"' not in page.text
        assert "rationale" not in page.text
        for kind in ("choice", "coding", "sql", "code_review", "free_text"):
            if f'data-kind="{kind}"' in page.text:
                kinds.add(kind)
        client.post(f"/take/{token}/api/sections/next")
    # The flagship form has these; its design section is empty while the library lacks items.
    assert {"choice", "coding", "sql", "code_review"} <= kinds
    done = client.get(f"/take/{token}/done")
    assert "your assessment is submitted" in done.text
    assert f"/take/{token}/api/export" in done.text
