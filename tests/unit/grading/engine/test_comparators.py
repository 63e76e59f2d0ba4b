"""Comparators for io outputs and SQL result sets."""

import pytest

from assay.grading.engine.comparators import (
    ResultSet,
    exact,
    float_tolerant,
    io_comparator,
    result_sets,
    unordered_lines,
    whitespace,
)
from assay.grading.packages import ResultComparator


def test_exact_forgives_only_the_final_newline():
    assert exact("1\n2\n", "1\n2").matches
    assert exact("1\r\n2\r\n", "1\n2\n").matches
    assert not exact("1\n2\n", "1\n 2\n").matches
    assert exact("1\n2\n", "1\n3\n").reason == "line 2 differs"


def test_whitespace_compares_tokens():
    assert whitespace("1 2\n3\n", "  1\t2 3  \n\n").matches
    result = whitespace("1 2 3", "1 2")
    assert not result.matches
    assert "expected 3 tokens" in result.reason


def test_float_tolerance_absolute_and_relative():
    assert float_tolerant("0.333333", "0.3333331", tolerance=1e-6).matches
    assert float_tolerant("1000000", "1000000.5", tolerance=1e-6).matches  # relative
    assert not float_tolerant("0.5", "0.51", tolerance=1e-6).matches
    assert not float_tolerant("1.0 abc", "1.0 abd", tolerance=1e-6).matches
    assert not float_tolerant("1.0", "nan", tolerance=1e-6).matches
    assert not float_tolerant("1 2", "1", tolerance=1e-6).matches


def test_unordered_lines_is_a_multiset():
    assert unordered_lines("a\nb\nb\n", "b\na\nb").matches
    assert unordered_lines("a\nb\n", "b  \n\na\n").matches
    assert not unordered_lines("a\nb\nb\n", "a\nb\n").matches


def test_io_comparator_by_name():
    assert io_comparator("float", float_tolerance=0.1)("1.0", "1.05").matches
    assert not io_comparator("exact", float_tolerance=0.1)("1.0", "1.05").matches
    with pytest.raises(ValueError, match="checker"):
        io_comparator("checker", float_tolerance=0.1)


EXPECTED = ResultSet(("region", "total"), (("EMEA", 3), ("AMER", 1.5), (None, 0)))


def test_result_sets_unordered_by_default():
    shuffled = ResultSet(("r", "t"), ((None, 0.0), ("EMEA", 3.0), ("AMER", 1.5000000000001)))
    assert result_sets(EXPECTED, shuffled, ResultComparator()).matches


def test_result_sets_ordered_reports_order():
    shuffled = ResultSet(("region", "total"), ((None, 0), ("EMEA", 3), ("AMER", 1.5)))
    result = result_sets(EXPECTED, shuffled, ResultComparator(ordered=True))
    assert not result.matches
    assert result.reason == "order"
    wrong = ResultSet(("region", "total"), (("EMEA", 3), ("AMER", 2), (None, 0)))
    assert result_sets(EXPECTED, wrong, ResultComparator(ordered=True)).reason == "row 2 differs"


def test_result_sets_column_names_only_when_asked():
    renamed = ResultSet(("REGION", "sum"), EXPECTED.rows)
    assert result_sets(EXPECTED, renamed, ResultComparator()).matches
    result = result_sets(EXPECTED, renamed, ResultComparator(column_names=True))
    assert not result.matches
    assert "columns" in result.reason
    same_case_insensitive = ResultSet(("REGION", "TOTAL"), EXPECTED.rows)
    assert result_sets(EXPECTED, same_case_insensitive, ResultComparator(column_names=True)).matches


def test_result_sets_shape():
    narrower = ResultSet(("region",), (("EMEA",), ("AMER",), (None,)))
    assert "columns" in result_sets(EXPECTED, narrower, ResultComparator()).reason
    shorter = ResultSet(EXPECTED.columns, EXPECTED.rows[:2])
    assert "rows" in result_sets(EXPECTED, shorter, ResultComparator()).reason
