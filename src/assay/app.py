"""The application factory: routers, middleware and error handlers, wired in one place."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from assay import __version__
from assay.accounts import api as accounts_api
from assay.accounts import views as accounts_views
from assay.assessments import api as assessments_api
from assay.assessments import views as assessments_views
from assay.config import get_settings
from assay.delivery import api as delivery_api
from assay.delivery import views as delivery_views
from assay.integrity import api as integrity_api
from assay.integrity import views as integrity_views
from assay.mail import api as mail_api
from assay.results import api as results_api
from assay.results import item_analysis_views, review_api, review_views
from assay.results import views as results_views
from assay.web import errors, health, pages
from assay.web.deps import require_json
from assay.web.middleware import BodyLimitMiddleware, RequestIdMiddleware
from assay.web.schemas import ERROR_RESPONSES
from assay.web.templating import STATIC_DIR

API_PREFIX = "/api/v1"

API_DESCRIPTION = """
The Assay JSON API, version 1. Authenticate with an organization API key:
`Authorization: Bearer assay_...`. Errors are `{"error": code, "detail": message}`.
Lists return `{"items": [...], "next_cursor": ...}`; pass `cursor` to get the next page.
See docs/api.md for the versioning policy.
"""


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Assay API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api = APIRouter(
        prefix=API_PREFIX, dependencies=[Depends(require_json)], responses=ERROR_RESPONSES
    )
    api.include_router(accounts_api.public)
    api.include_router(accounts_api.router)
    api.include_router(mail_api.router)
    api.include_router(assessments_api.router)
    api.include_router(delivery_api.router)
    api.include_router(integrity_api.router)
    api.include_router(results_api.router)
    api.include_router(review_api.router)
    api.include_router(item_analysis_views.api_router)
    app.include_router(api)
    app.include_router(delivery_api.candidate_router)

    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(accounts_views.router)
    app.include_router(assessments_views.router)
    app.include_router(delivery_views.router)
    app.include_router(integrity_views.router)
    app.include_router(results_views.router)
    app.include_router(review_views.router)
    app.include_router(item_analysis_views.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    return app
