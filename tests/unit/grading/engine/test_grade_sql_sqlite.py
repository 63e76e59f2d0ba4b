"""SQLite-dialect SQL tasks: the driver runs inside the sandbox; each dataset is a test."""

import pytest

from assay.grading.engine import grade
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox

TASK = "content/sql/top-customers-window"


@pytest.fixture(scope="module")
def top_customers(load_task):
    return load_task(TASK)


def sql(query):
    return {"solution.sql": query}


def test_reference_passes_every_dataset(top_customers, sandbox):
    report = grade(top_customers, top_customers.reference("sql"), language="sql", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests]
    assert {t.name: t.weight for t in report.tests} == {
        "basic": 1,
        "ties": 2,
        "year-boundaries": 2,
        "volume": 1,
    }
    sample = grade(
        top_customers,
        top_customers.reference("sql"),
        language="sql",
        suite="sample",
        sandbox=sandbox,
    )
    assert [t.name for t in sample.tests] == ["sample"]
    assert sample.verdict == Verdict.ACCEPTED


def test_starter_and_every_mutant_fail(top_customers, sandbox):
    starter = grade(top_customers, top_customers.starter("sql"), language="sql", sandbox=sandbox)
    assert starter.score == 0
    failed = {}
    for name, files in top_customers.mutants("sql").items():
        report = grade(top_customers, files, language="sql", sandbox=sandbox)
        assert report.verdict == Verdict.WRONG_ANSWER, name
        failed[name] = {t.name for t in report.tests if not t.passed}
    assert failed["row-number-ties"] == {"ties"}
    assert "year-boundaries" in failed["year-boundary"]
    assert "basic" in failed["all-statuses"]


def test_query_errors_map_to_verdicts(load_task, sandbox):
    task = load_task(TASK, time_limit_seconds=0.3)

    def first(query):
        report = grade(task, sql(query), language="sql", suite="sample", sandbox=sandbox)
        return report.tests[0]

    assert first("SELEC region FROM customers").verdict == Verdict.COMPILE_ERROR
    assert "syntax error" in first("SELEC region FROM customers").message
    two = first("DELETE FROM orders; SELECT region FROM customers")
    assert two.verdict == Verdict.COMPILE_ERROR  # one statement only
    assert first("SELECT * FROM no_such_table").verdict == Verdict.RUNTIME_ERROR
    assert first("DELETE FROM orders").verdict == Verdict.RUNTIME_ERROR  # read-only
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    assert first(endless).verdict == Verdict.TIME_LIMIT
    assert first("SELECT region FROM customers").verdict == Verdict.WRONG_ANSWER


def test_column_names_and_order_matter_for_this_task(top_customers, sandbox):
    reference = top_customers.reference("sql")["solution.sql"]
    renamed = reference.replace(
        "SELECT region, customer_name, total_cents, region_rank, share_pct\nFROM ranked",
        "SELECT region, customer_name AS name, total_cents, region_rank, share_pct\nFROM ranked",
    )
    assert renamed != reference
    report = grade(top_customers, sql(renamed), language="sql", suite="sample", sandbox=sandbox)
    assert report.verdict == Verdict.WRONG_ANSWER
    unordered = reference.replace("ORDER BY region, region_rank, customer_name", "ORDER BY 3")
    report = grade(top_customers, sql(unordered), language="sql", sandbox=sandbox)
    assert report.verdict == Verdict.WRONG_ANSWER


def test_a_huge_result_is_the_candidates_output_limit(top_customers, sandbox):
    huge = "SELECT printf('%.*c', 200000, 'x') AS padding FROM orders"
    report = grade(top_customers, sql(huge), language="sql", suite="sample", sandbox=sandbox)
    assert report.verdict == Verdict.OUTPUT_LIMIT
    assert report.score == 0
