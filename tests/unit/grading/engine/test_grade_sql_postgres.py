"""PostgreSQL-dialect SQL tasks: throwaway databases cloned from a template, an isolated role,
a statement timeout, and nothing left behind. Skipped only when PostgreSQL is unreachable."""

import dataclasses

import psycopg
import pytest

from assay.config import get_settings
from assay.grading.engine import grade
from assay.grading.engine.sql import ensure_template, template_name, throwaway_database
from assay.grading.sandbox import Verdict

TASK = "tests/fixtures/tasks/pg-order-totals"


@pytest.fixture(scope="module")
def admin():
    dsn = get_settings().grading_postgres_dsn
    try:
        connection = psycopg.connect(dsn, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL unreachable at {dsn}: {exc}")
    with connection:
        yield connection


@pytest.fixture(scope="module")
def order_totals(load_task):
    return load_task(TASK)


def leftovers(admin):
    """Names of throwaway databases and roles; other processes' runs may come and go meanwhile,
    so tests check that nothing new is left behind rather than comparing counts."""
    databases = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE 'assay\\_run\\_%' "
        "OR datname LIKE 'assay\\_bld\\_%'"
    ).fetchall()
    roles = admin.execute(
        "SELECT rolname FROM pg_roles WHERE rolname LIKE 'assay\\_run\\_%'"
    ).fetchall()
    return {row[0] for row in databases} | {row[0] for row in roles}


def test_reference_mutants_and_cleanup(admin, order_totals):
    before = leftovers(admin)
    report = grade(order_totals, order_totals.reference("sql"), language="sql")
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests]
    assert {t.name: t.weight for t in report.tests} == {"mixed": 2, "nulls": 1}
    for name, files in order_totals.mutants("sql").items():
        assert grade(order_totals, files, language="sql").verdict == Verdict.WRONG_ANSWER, name
    template = template_name(order_totals, "mixed")
    assert (
        admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        is not None
    )
    assert leftovers(admin) <= before


def test_errors_timeouts_and_single_statements(admin, load_task):
    task = load_task(TASK, time_limit_seconds=0.3)
    before = leftovers(admin)

    def first(query):
        report = grade(task, {"q.sql": query}, language="sql", suite="sample")
        return report.tests[0]

    assert first("SELECT pg_sleep(5)").verdict == Verdict.TIME_LIMIT
    # Several statements are refused, so the timeout cannot be switched off first.
    escape = first("SET statement_timeout = 0; SELECT pg_sleep(5)")
    assert escape.verdict == Verdict.COMPILE_ERROR
    assert first("SELEC 1").verdict == Verdict.COMPILE_ERROR
    assert first("SELECT 1 / 0").verdict == Verdict.RUNTIME_ERROR
    assert first("DELETE FROM orders RETURNING id").verdict == Verdict.RUNTIME_ERROR
    assert leftovers(admin) <= before


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE stolen (id int)",
        "CREATE TEMP TABLE scratch (id int)",
        "SELECT rolpassword FROM pg_authid",
        "SELECT pg_read_file('/etc/passwd')",
        "CREATE EXTENSION dblink",
        "SET ROLE postgres",
        "COPY orders TO PROGRAM 'id'",
        "INSERT INTO orders VALUES (99, 1, 1)",
        "SET default_transaction_read_only = off; INSERT INTO orders VALUES (99, 1, 1)",
    ],
)
def test_the_role_can_do_nothing_but_read_its_database(admin, order_totals, statement):
    template = ensure_template(admin, order_totals, "mixed")
    with (
        throwaway_database(admin, template, 2.0) as dsn,
        psycopg.connect(dsn, autocommit=True) as conn,
    ):
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (3,)
        with pytest.raises(psycopg.Error):
            conn.execute(statement, prepare=True)


def test_the_role_cannot_connect_to_the_template(admin, order_totals):
    template = ensure_template(admin, order_totals, "mixed")
    with throwaway_database(admin, template, 2.0) as dsn:
        role = psycopg.conninfo.conninfo_to_dict(dsn)["user"]
        elsewhere = psycopg.conninfo.make_conninfo(dsn, dbname=template)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(elsewhere, connect_timeout=3).close()
        assert admin.execute(
            "SELECT has_database_privilege(%s, %s, 'CONNECT')", (role, template)
        ).fetchone() == (False,)
    assert admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None


def test_a_new_package_version_drops_the_old_versions_templates(admin, order_totals):
    dataset = next(iter(order_totals.datasets))
    # Rebuild the current template so it carries the label that marks it as this package's.
    stale = template_name(order_totals, dataset)
    admin.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
    current = ensure_template(admin, order_totals, dataset)
    newer = dataclasses.replace(order_totals, digest="0" * 64)
    replacement = ensure_template(admin, newer, dataset)
    try:
        names = {row[0] for row in admin.execute("SELECT datname FROM pg_database").fetchall()}
        assert replacement in names
        assert current not in names
    finally:
        ensure_template(admin, order_totals, dataset)  # back to the real version for other tests
