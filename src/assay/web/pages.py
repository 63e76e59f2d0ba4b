"""Pages that belong to no single domain: home, dashboard, the API reference."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from assay.accounts import repository
from assay.delivery.overview import overview
from assay.web.deps import SESSION_COOKIE, DbSession, ViewUser
from assay.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    if request.cookies.get(SESSION_COOKIE):
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "home.html")


@router.get("/dashboard")
def dashboard(request: Request, session: DbSession, who: ViewUser) -> Response:
    principal, user = who
    organization = repository.get_organization(session, principal.organization_id)
    return render(
        request,
        "dashboard.html",
        {
            "organization": organization,
            "principal": principal,
            "user": user,
            "overview": overview(session, principal=principal),
        },
    )


@router.get("/api/v1/docs")
def api_docs(request: Request) -> Response:
    """A readable API reference rendered from the OpenAPI document, with no external assets."""
    spec = request.app.openapi()
    operations: list[dict[str, Any]] = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or ["other"])[0],
                    "parameters": operation.get("parameters", []),
                    "body": _schema_name(operation.get("requestBody", {})),
                    "responses": {
                        code: _schema_name(response) or response.get("description", "")
                        for code, response in operation.get("responses", {}).items()
                    },
                }
            )
    schemas = spec.get("components", {}).get("schemas", {})
    return render(
        request, "api_docs.html", {"spec": spec, "operations": operations, "schemas": schemas}
    )


def _schema_name(holder: dict[str, Any]) -> str:
    schema = holder.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    return str(ref.rsplit("/", 1)[-1]) if ref else ""
