"""Nothing a candidate can fetch holds a key's rationale, a defect, a rubric or a hidden test."""

from __future__ import annotations

import html
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask
from assay.delivery import content, service
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture


def secrets_of(item_id: str) -> list[str]:
    """The texts only staff may see for one delivered item (long enough to be distinctive)."""
    item, _package_dir = content.library_item(item_id)
    found: list[str] = []
    if isinstance(item, ChoiceItem):
        found += [option.rationale for option in item.options]
    elif isinstance(item, CodeReviewTask):
        found += [defect.description for defect in item.defects]
    elif isinstance(item, FreeTextTask):
        found += [level.descriptor for c in item.rubric for level in c.levels]
    else:
        package: Any = content._package(item_id)
        if package.kind == "sql":
            found += [package.reference_sql, *package.mutant_sql.values()]
            found += [sql for name, sql in package.datasets.items() if "hidden" in name]
        else:
            for language in package.language_names():
                spec = package.languages[language]
                found += list(spec.hidden_tests.values()) + list(spec.reference.values())
    return [text.strip() for text in found if len(text.strip()) > 40]


def strings(value: Any) -> str:
    """Every string in a JSON document, unescaped, so a quoted or multi-line key still matches."""
    if isinstance(value, str):
        return value + "\n"
    if isinstance(value, dict):
        return "".join(strings(k) + strings(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(strings(v) for v in value)
    return ""


def test_work_pages_and_candidate_json_hold_no_keys(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    _candidate, token = invite(db, org, make_assessment(db, org))
    assert client.post(f"/take/{token}/api/start").status_code == 200
    access = service.resolve(db, token=token)
    form = service.form_of(db, access)
    item_ids = [
        str(item["item_id"])
        for section in form.sections
        for item in service.delivered_items(section)
    ]
    secrets = [text for item_id in item_ids for text in secrets_of(item_id)]
    assert len(secrets) > 20, "the flagship form should carry many keys to look for"
    seen = ""
    for _section in range(len(form.sections) + 1):
        page = client.get(f"/take/{token}/work")
        if page.url.path.endswith("/done"):
            break
        seen += html.unescape(page.text)
        seen += strings(client.get(f"/take/{token}/api/position").json())
        client.post(f"/take/{token}/api/sections/next")
    seen += strings(client.get(f"/take/{token}/api/export").json())
    leaked = [text[:80] for text in secrets if text in seen]
    assert not leaked, leaked
