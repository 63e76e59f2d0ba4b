"""Probes, the OpenAPI document, the docs page and request ids."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


def test_openapi_document_and_readable_docs(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Assay API"
    assert "/api/v1/members/{member_id}" in spec["paths"]
    assert all(p.startswith("/api/v1/") or p in {"/healthz", "/readyz"} for p in spec["paths"]), (
        "pages leaked"
    )
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/api-keys" in page.text
    assert "cdn" not in page.text.lower()
    assert "http://" not in page.text.replace("http://testserver", "")


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) >= 8
    kept = client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
    assert kept == "abc-123"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"}).headers[
        "x-request-id"
    ]
    assert replaced != "bad id\nwith newline"


def test_pages_reference_no_external_assets(client: TestClient) -> None:
    for path in ["/", "/login", "/signup"]:
        text = client.get(path).text
        assert "https://" not in text, path
        assert "http://" not in text, path
