"""HTML pages keep tenants apart and refuse forged forms: walked from the app's own routes."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_org
from tests.functional.test_sessions import csrf, login
from tests.functional.test_tenant_isolation import MAKERS

# Path parameters that are not rows of one organization: a candidate's or teammate's secret
# link token (tested by the delivery and team tests) and a public link's slug.
NOT_ORG_ROWS = {"token", "slug"}

# Form fields a POST page needs to get past payload validation, so the 404 comes from scoping.
FORM_FIELDS: dict[str, dict[str, str]] = {
    "/settings/team/{member_id}/role": {"role": "recruiter"},
    "/assessments/{assessment_id}/blueprint": {"skills": "python"},
    "/assessments/{assessment_id}/settings": {"title": "Stolen", "time_limit_minutes": "60"},
    "/assessments/{assessment_id}/candidates/invite": {"name": "Eve", "email": "e@example.com"},
    "/assessments/{assessment_id}/candidates/import": {"csv": "Eve,e@example.com"},
    "/candidates/{candidate_id}/extend": {"add_minutes": "5"},
    "/assessments/{assessment_id}/public-link": {"enabled": "on"},
    "/attempts/{attempt_id}/decision": {"decision": "hold"},
}
# Query parameters a GET page needs, made as rows of the other organization too.
QUERY_MAKERS = {"/assessments/{assessment_id}/compare": ("attempt", "attempt_id", 2)}


def page_routes(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """Every (method, path, path parameters) outside the JSON API and static files."""
    routes: list[tuple[str, str, list[str]]] = []
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if path.startswith(("/api/v1", "/static")) or "/api/" in path or not route.methods:
            continue
        params = re.findall(r"{(\w+)}", path)
        routes.extend((method, path, params) for method in sorted(route.methods - {"HEAD"}))
    return routes


def test_every_id_page_hides_other_organizations(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    org_a = make_org(db)
    org_b = make_org(db)
    db.flush()
    assert login(client, org_b.owner.email).status_code == 303  # type: ignore[attr-defined]
    token = csrf(client, "/settings/team")
    walked = 0
    wrong = []
    for method, path, params in page_routes(app):
        if not params or set(params) & NOT_ORG_ROWS:
            continue
        missing = [p for p in params if p not in MAKERS]
        assert not missing, f"{method} {path}: add a maker for {missing} to prove it is scoped"
        url = path
        for param in params:
            url = url.replace("{" + param + "}", str(MAKERS[param](db, org_a)))
        db.flush()
        if method == "POST":
            data = {**FORM_FIELDS.get(path, {}), "csrf_token": token}
            response = client.post(url, data=data, follow_redirects=False)
        else:
            name, param, count = QUERY_MAKERS.get(path, ("", "", 0))
            query = {name: [str(MAKERS[param](db, org_a)) for _ in range(count)]} if name else {}
            db.flush()
            response = client.request(method, url, params=query, follow_redirects=False)
        if response.status_code != 404:
            wrong.append(f"{method} {path} answered {response.status_code}")
        walked += 1
    assert not wrong, "\n".join(wrong)
    assert walked >= 20, f"only {walked} id pages found: did route discovery break?"


def test_every_form_post_without_a_csrf_token_is_refused(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    org = make_org(db)
    db.flush()
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    posts = [(path, params) for method, path, params in page_routes(app) if method == "POST"]
    assert len(posts) >= 15, "route discovery found too few forms"
    for path, params in posts:
        url = path
        for param in params:
            # A real row where there is a maker; a token or slug that cannot match is fine,
            # because the CSRF check must come before anything looks the id up.
            maker = MAKERS.get(param)
            url = url.replace("{" + param + "}", str(maker(db, org)) if maker else "x" * 20)
        db.flush()
        for data in ({}, {**FORM_FIELDS.get(path, {}), "csrf_token": "forged"}):
            response = client.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, f"POST {path} {data} -> {response.status_code}"
