"""Grading SQL tasks: each dataset is a weighted test comparing the candidate's result set with
the reference query's on the same data.

SQLite tasks run through Python's sqlite3 module inside the sandbox (sqlite_driver.py).
PostgreSQL tasks run from the host through psycopg in a throwaway database cloned from a
per-package-version template, as a throwaway role that can connect to nothing else.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from assay.grading.packages import SqlManifest, TaskPackage
from assay.grading.sandbox import Limits, RunRequest, Sandbox, Verdict

from . import messages
from .comparators import ResultSet, result_sets
from .errors import GradingInfrastructureError, TaskPackageDefect
from .execution import run, tail
from .languages import PYTHON
from .report import Suite, TestOutcome

DRIVER = Path(__file__).with_name("sqlite_driver.py")


@dataclass(frozen=True)
class QueryResult:
    """A result set, or an error of kind syntax | runtime | timeout | too_many_rows | dataset."""

    result: ResultSet | None = None
    error: str = ""
    kind: str = ""


def grade_sql(
    package: TaskPackage,
    query: str,
    *,
    suite: Suite,
    sandbox: Sandbox | None,
    postgres_dsn: str,
) -> list[TestOutcome]:
    manifest = _sql(package)
    names = [name for name, d in manifest.datasets.items() if d.suite == suite]
    if manifest.dialect == "sqlite":
        assert sandbox is not None
        results = run_sqlite(sandbox, package, query, names)
    else:
        results = run_postgres(postgres_dsn, package, query, names)
    return [_outcome(package, name, *results[name], suite=suite) for name in names]


def _outcome(
    package: TaskPackage,
    name: str,
    reference: QueryResult,
    candidate: QueryResult,
    *,
    suite: Suite,
) -> TestOutcome:
    manifest = _sql(package)
    weight = manifest.datasets[name].weight
    if reference.result is None:
        raise TaskPackageDefect(f"{package.id}: reference query fails on {name}: {reference.error}")
    if candidate.result is None:
        verdict, message = {
            "syntax": (Verdict.COMPILE_ERROR, messages.QUERY_SYNTAX),
            "timeout": (Verdict.TIME_LIMIT, messages.QUERY_TIMEOUT),
            "too_many_rows": (Verdict.OUTPUT_LIMIT, messages.TOO_MANY_ROWS),
        }.get(candidate.kind, (Verdict.RUNTIME_ERROR, messages.QUERY_ERROR))
        if candidate.kind == "dataset":
            raise TaskPackageDefect(f"{package.id}: dataset {name}: {candidate.error}")
        # A syntax error speaks only of the candidate's own query; other errors may quote
        # hidden data (a failed cast names the value), so they are detailed for samples only.
        visible: Suite = "sample" if candidate.kind == "syntax" else suite
        shown = messages.with_detail(message, suite=visible, detail=candidate.error)
        return TestOutcome(name, weight, verdict, shown, detail=candidate.error)
    compared = result_sets(reference.result, candidate.result, manifest.comparator)
    if compared.matches:
        return TestOutcome(
            name, weight, Verdict.ACCEPTED, messages.for_verdict(Verdict.ACCEPTED, suite=suite)
        )
    if compared.reason == "order":
        message = messages.WRONG_ORDER
    elif "columns" in compared.reason:
        message = messages.WRONG_COLUMNS
    else:
        message = messages.WRONG_ROWS
    return TestOutcome(
        name,
        weight,
        Verdict.WRONG_ANSWER,
        messages.with_detail(message, suite=suite, detail=compared.reason),
        detail=compared.reason,
    )


def run_sqlite(
    sandbox: Sandbox,
    package: TaskPackage,
    query: str,
    names: list[str],
    *,
    candidate_is_reference: bool = False,
) -> dict[str, tuple[QueryResult, QueryResult]]:
    """One sandbox run for every dataset: the driver runs reference and candidate on each."""
    manifest = _sql(package)
    config = {
        "datasets": names,
        "time_limit_seconds": manifest.time_limit_seconds,
        "max_rows": manifest.max_rows,
    }
    files = {
        "driver.py": DRIVER.read_bytes(),
        "config.json": json.dumps(config).encode(),
        "schema.sql": package.schema_sql.encode(),
        "queries/reference.sql": package.reference_sql.encode(),
        "queries/candidate.sql": query.encode(),
        **{f"datasets/{n}.sql": package.datasets[n].encode() for n in names},
    }
    budget = manifest.time_limit_seconds * 2 * len(names) + 5
    result = run(
        sandbox,
        RunRequest(
            argv=[PYTHON, "driver.py"],
            files=files,
            limits=Limits(cpu_seconds=budget, wall_seconds=budget * 2, memory_mb=256),
            env={"PYTHONDONTWRITEBYTECODE": "1"},
        ),
    )
    if result.verdict != Verdict.ACCEPTED:
        # The driver bounds each query itself, so the run failing as a whole means the
        # candidate's query blew the memory or output limit (or the driver is broken).
        limits_hit = (Verdict.MEMORY_LIMIT, Verdict.OUTPUT_LIMIT, Verdict.TIME_LIMIT)
        if result.verdict in limits_hit and not candidate_is_reference:
            kind = {"memory_limit": "runtime", "output_limit": "too_many_rows"}.get(
                result.verdict.value, "timeout"
            )
            failed = QueryResult(error=result.message, kind=kind)
            reference = _reference_only(sandbox, package, names)
            return {n: (reference[n], failed) for n in names}
        raise GradingInfrastructureError(
            f"sqlite driver failed: {result.verdict} {result.message} {tail(result.stderr, 1000)}"
        )
    try:
        document: dict[str, dict[str, dict[str, Any]]] = json.loads(result.report)
        return {
            n: (_query_result(document[n]["reference"]), _query_result(document[n]["candidate"]))
            for n in names
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise GradingInfrastructureError(
            f"sqlite driver wrote an unreadable report: {exc}"
        ) from exc


def _reference_only(
    sandbox: Sandbox, package: TaskPackage, names: list[str]
) -> dict[str, QueryResult]:
    # The candidate's query sank the whole run; re-run with the reference in both seats.
    results = run_sqlite(
        sandbox, package, package.reference_sql, names, candidate_is_reference=True
    )
    return {n: pair[0] for n, pair in results.items()}


def _query_result(raw: Mapping[str, Any]) -> QueryResult:
    if "error" in raw:
        return QueryResult(error=str(raw["error"]), kind=str(raw["kind"]))
    columns = tuple(str(c) for c in raw["columns"])
    rows = tuple(tuple(row) for row in raw["rows"])
    return QueryResult(result=ResultSet(columns, rows))


# --- PostgreSQL -----------------------------------------------------------------------------


def run_postgres(
    admin_dsn: str, package: TaskPackage, query: str, names: list[str]
) -> dict[str, tuple[QueryResult, QueryResult]]:
    """Reference and candidate on each dataset, in a throwaway clone of its template."""
    manifest = _sql(package)
    results: dict[str, tuple[QueryResult, QueryResult]] = {}
    try:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=10) as admin:
            for name in names:
                template = ensure_template(admin, package, name)
                with (
                    throwaway_database(admin, template, manifest.time_limit_seconds) as dsn,
                    psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn,
                ):
                    reference = _run_pg_query(conn, package.reference_sql, manifest.max_rows)
                    candidate = _run_pg_query(conn, query, manifest.max_rows)
                results[name] = (reference, candidate)
    except psycopg.OperationalError as exc:
        raise GradingInfrastructureError(f"PostgreSQL unreachable for grading: {exc}") from exc
    return results


def template_name(package: TaskPackage, dataset: str) -> str:
    """One template per package version and dataset (the suite digest covers both)."""
    key = hashlib.sha256(f"{package.digest}:{dataset}".encode()).hexdigest()[:24]
    return f"assay_tpl_{key}"


def ensure_template(admin: psycopg.Connection[Any], package: TaskPackage, dataset: str) -> str:
    """Build the dataset's template database once: schema.sql + datasets/<name>.sql."""
    name = template_name(package, dataset)
    if _database_exists(admin, name):
        return name
    building = f"assay_bld_{secrets.token_hex(8)}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    try:
        dsn = psycopg.conninfo.make_conninfo(admin.info.dsn, dbname=building)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(package.schema_sql)  # the author's trusted SQL
            conn.execute(package.datasets[dataset])
        admin.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(building))
        )
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(building), sql.Literal(_template_label(package, dataset))
            )
        )
        admin.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(building), sql.Identifier(name)
            )
        )
        _drop_superseded_templates(admin, package, dataset, keep=name)
    except pg_errors.DuplicateDatabase:
        pass  # another worker built the same template first; theirs is identical
    except psycopg.Error as exc:
        raise TaskPackageDefect(f"{package.id}: building dataset {dataset} failed: {exc}") from exc
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building))
        )
    return name


def _template_label(package: TaskPackage, dataset: str) -> str:
    return f"assay-template:{package.id}:{dataset}"


def _drop_superseded_templates(
    admin: psycopg.Connection[Any], package: TaskPackage, dataset: str, *, keep: str
) -> None:
    """Templates of earlier versions of this package's dataset are never used again: drop them.

    Grading always runs the package as it is now, so only the newest template is needed.
    """
    rows = admin.execute(
        "SELECT d.datname FROM pg_database d"
        " JOIN pg_shdescription s ON s.objoid = d.oid"
        " AND s.classoid = 'pg_database'::regclass"
        " WHERE s.description = %s AND d.datname <> %s",
        (_template_label(package, dataset), keep),
    ).fetchall()
    for (stale,) in rows:
        # A clone being made from it right now keeps it; the next new version drops it.
        with suppress(pg_errors.ObjectInUse):
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(stale)))


@contextmanager
def throwaway_database(
    admin: psycopg.Connection[Any], template: str, timeout_seconds: float
) -> Iterator[str]:
    """A clone of `template` and a role that may only connect to it and read it; dropped on exit.

    Yields the role's DSN. Candidate SQL runs as this role: no superuser, no CREATE, no TEMP,
    CONNECT on this database only (PUBLIC's CONNECT is revoked on the clone and the template),
    a statement timeout, and read-only transactions by default.
    """
    suffix = secrets.token_hex(8)
    database, role = f"assay_run_{suffix}", f"assay_run_{suffix}"
    db_id, role_id = sql.Identifier(database), sql.Identifier(role)
    timeout_ms = max(1, int(timeout_seconds * 1000))
    try:
        admin.execute(
            sql.SQL(
                "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                " NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 2"
            ).format(role_id)
        )
        admin.execute(
            sql.SQL("ALTER ROLE {} SET statement_timeout = {}").format(
                role_id, sql.Literal(timeout_ms)
            )
        )
        admin.execute(
            sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role_id)
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(db_id, sql.Identifier(template))
        )
        admin.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db_id))
        admin.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db_id, role_id))
        with psycopg.connect(
            psycopg.conninfo.make_conninfo(admin.info.dsn, dbname=database), autocommit=True
        ) as owner:
            schemas = owner.execute(
                "SELECT nspname FROM pg_namespace"
                " WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'"
            ).fetchall()
            for (schema,) in schemas:
                schema_id = sql.Identifier(schema)
                owner.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema_id))
                owner.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, role_id))
                owner.execute(
                    sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                        schema_id, role_id
                    )
                )
        yield psycopg.conninfo.make_conninfo(
            admin.info.dsn,
            dbname=database,
            user=role,
            options=f"-c statement_timeout={timeout_ms} -c default_transaction_read_only=on",
        )
    finally:
        with suppress(psycopg.Error):
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(db_id))
        with suppress(psycopg.Error):
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role_id))


def _run_pg_query(conn: psycopg.Connection[Any], query: str, max_rows: int) -> QueryResult:
    try:
        # prepare=True sends one Parse message: several statements are refused by the server,
        # so a candidate cannot `SET statement_timeout = 0; SELECT ...`.
        cursor = conn.execute(query, prepare=True)
        if cursor.description is None:
            return QueryResult(
                error="the statement returns no rows (is it a SELECT?)", kind="runtime"
            )
        rows = cursor.fetchmany(max_rows + 1)
    except pg_errors.QueryCanceled as exc:
        return QueryResult(error=str(exc).strip(), kind="timeout")
    except pg_errors.SyntaxError as exc:
        return QueryResult(error=str(exc).strip(), kind="syntax")
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        return QueryResult(error=str(exc).strip(), kind="runtime")
    if len(rows) > max_rows:
        return QueryResult(error=f"more than {max_rows} rows", kind="too_many_rows")
    columns = tuple(column.name for column in cursor.description)
    return QueryResult(result=ResultSet(columns, tuple(tuple(_plain(v) for v in r) for r in rows)))


def _plain(value: Any) -> Any:
    """Values as the comparator sees them: Decimal -> float, dates and the rest -> text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if type(value).__name__ == "Decimal":
        return float(value)
    return str(value)


def _database_exists(admin: psycopg.Connection[Any], name: str) -> bool:
    row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _sql(package: TaskPackage) -> SqlManifest:
    assert isinstance(package.manifest, SqlManifest)
    return package.manifest
