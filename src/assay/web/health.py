"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from assay.db.engine import get_engine
from assay.db.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive and serving."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> JSONResponse:
    """The database answers and its schema is at the newest migration."""
    checks: dict[str, str] = {}
    try:
        # Read-only and outside any transaction: a probe must never queue behind writers.
        with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
            current, head = current_revision(connection), head_revision()
            checks["migrations"] = (
                "ok" if current == head else f"at {current}, head is {head}; run `assay db upgrade`"
            )
    except Exception as exc:  # any failure to reach the database means not ready
        checks["database"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values()) and len(checks) == 2
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )
