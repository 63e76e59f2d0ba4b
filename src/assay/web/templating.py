"""Jinja2 templates shared by every domain's views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from assay import __version__

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.globals["assay_version"] = __version__


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> Response:
    from assay.web.csrf import csrf_token_for  # noqa: PLC0415 - avoids an import cycle with csrf

    context = dict(context or {})
    context.setdefault("csrf_token", csrf_token_for(request))
    context.setdefault("user", getattr(request.state, "user", None))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    from assay.web.csrf import ensure_csrf_cookie  # noqa: PLC0415

    ensure_csrf_cookie(request, response)
    return response
