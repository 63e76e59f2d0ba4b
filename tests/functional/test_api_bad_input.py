"""Bad input gets a clear 4xx, never a 500: malformed bodies posted to every JSON write route."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.delivery_support import invite, make_assessment
from tests.factories import make_org
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_tenant_isolation import MAKERS

WRITE_METHODS = {"post", "patch", "put"}
HOSTILE_VALUES: list[Any] = [
    None,
    -1,
    10**30,
    1.5e308,
    "",
    "x" * 20_000,
    "\x00\ud800",
    [],
    {},
    {"nested": {"deeper": [1, "two", None]}},
    True,
]


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Resolve one level of $ref (and the first of an anyOf) to reach an object's properties."""
    for _ in range(4):
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in schema:
            schema = schema["anyOf"][0]
        else:
            break
    return schema


def bodies(document: dict[str, Any], operation: dict[str, Any]) -> list[bytes]:
    """Raw bodies that are not JSON, JSON of the wrong shape, and each field made hostile."""
    raw = [b"{not json", b"", b"null", b"[]", b'"text"', b"1e999", b'{"a":' * 50 + b"1" + b"}" * 50]
    raw.append(json.dumps({"unknown_field": 1}).encode())
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    schema = _schema(document, content["schema"]) if content else {}
    for name in schema.get("properties", {}):
        raw.extend(json.dumps({name: value}).encode() for value in HOSTILE_VALUES)
    return raw


def test_write_routes_answer_bad_bodies_with_a_clear_4xx(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    org = make_org(db)
    key = api_key_for(db, org, "admin")
    _candidate, token = invite(db, org, make_assessment(db, org))
    rows: dict[str, str] = {"token": token, "task_id": "no-such-task", "item_id": "no-such-item"}
    document = app.openapi()
    paths = dict(document["paths"])
    # The candidate client's JSON protocol is not in the staff OpenAPI document; walk it too.
    for route_path in ("start", "answers", "sections/next", "signals", "items/{item_id}/run"):
        paths[f"/take/{{token}}/api/{route_path}"] = {"post": {}}
    checked = 0
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            url = path
            for param in re.findall(r"{(\w+)}", path):
                if param not in rows:
                    rows[param] = str(MAKERS[param](db, org))
                    db.flush()
                url = url.replace("{" + param + "}", rows[param])
            for body in bodies(document, operation):
                response = client.request(
                    method.upper(),
                    url,
                    content=body,
                    headers={**bearer(key), "Content-Type": "application/json"},
                )
                where = f"{method.upper()} {path} {body[:80]!r}"
                assert response.status_code < 500, f"{where} -> {response.status_code}"
                if response.status_code < 400:
                    continue  # a hostile-looking value this route may legitimately accept
                payload = response.json()
                assert set(payload) == {"error", "detail"}, f"{where} -> {payload}"
                assert payload["detail"], where
                checked += 1
    assert checked > 300, f"only {checked} requests: did route discovery break?"
    assert uuid.UUID(rows["assessment_id"])
