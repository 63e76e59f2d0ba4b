"""Comparators: a candidate's output against the expected output (io cases) or result sets (SQL)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assay.grading.packages import ResultComparator


@dataclass(frozen=True)
class Comparison:
    """Whether two outputs match, and for staff a short reason when they do not."""

    matches: bool
    reason: str = ""


OK = Comparison(True)


def exact(expected: str, actual: str) -> Comparison:
    """Byte-for-byte equal, except that a missing final newline is forgiven."""
    if _chomp(expected) == _chomp(actual):
        return OK
    return Comparison(False, _first_difference(expected.splitlines(), actual.splitlines()))


def whitespace(expected: str, actual: str) -> Comparison:
    """Equal as sequences of whitespace-separated tokens."""
    want, got = expected.split(), actual.split()
    if want == got:
        return OK
    return Comparison(False, _first_difference(want, got, unit="token"))


def float_tolerant(expected: str, actual: str, *, tolerance: float) -> Comparison:
    """Tokens equal; numbers within `tolerance`, absolute or relative (the larger)."""
    want, got = expected.split(), actual.split()
    if len(want) != len(got):
        return Comparison(False, f"expected {len(want)} tokens, got {len(got)}")
    for index, (w, g) in enumerate(zip(want, got, strict=True)):
        if w == g:
            continue
        wanted, gotten = _number(w), _number(g)
        if wanted is None or gotten is None:
            return Comparison(False, f"token {index + 1}: expected {w!r}, got {g!r}")
        if not math.isclose(wanted, gotten, rel_tol=tolerance, abs_tol=tolerance):
            return Comparison(False, f"token {index + 1}: {g} is not within {tolerance} of {w}")
    return OK


def unordered_lines(expected: str, actual: str) -> Comparison:
    """The same lines in any order (trailing spaces and blank lines ignored)."""
    want, got = _lines_multiset(expected), _lines_multiset(actual)
    if want == got:
        return OK
    missing, extra = want - got, got - want
    return Comparison(False, f"{sum(missing.values())} missing, {sum(extra.values())} unexpected")


def io_comparator(kind: str, *, float_tolerance: float) -> Callable[[str, str], Comparison]:
    """The comparator function for a task's `tests.comparator.kind` (not `checker`)."""
    if kind == "exact":
        return exact
    if kind == "whitespace":
        return whitespace
    if kind == "unordered_lines":
        return unordered_lines
    if kind == "float":
        return lambda expected, actual: float_tolerant(expected, actual, tolerance=float_tolerance)
    raise ValueError(f"no built-in comparator {kind!r}")


@dataclass(frozen=True)
class ResultSet:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def result_sets(expected: ResultSet, actual: ResultSet, rules: ResultComparator) -> Comparison:
    """Compare query results by the task's rules: order, column names, float tolerance."""
    shape = _shape(expected, actual, rules)
    if not shape.matches:
        return shape
    want_rows = [_normalise_row(row, rules.float_tolerance) for row in expected.rows]
    got_rows = [_normalise_row(row, rules.float_tolerance) for row in actual.rows]
    same_multiset = sorted(want_rows, key=_sort_key) == sorted(got_rows, key=_sort_key)
    if not rules.ordered:
        return OK if same_multiset else Comparison(False, "rows differ")
    for index, (w, g) in enumerate(zip(want_rows, got_rows, strict=True)):
        if w != g:
            return Comparison(False, "order" if same_multiset else f"row {index + 1} differs")
    return OK


def _shape(expected: ResultSet, actual: ResultSet, rules: ResultComparator) -> Comparison:
    if len(expected.columns) != len(actual.columns):
        return Comparison(
            False, f"expected {len(expected.columns)} columns, got {len(actual.columns)}"
        )
    if rules.column_names:
        want = [c.lower() for c in expected.columns]
        got = [c.lower() for c in actual.columns]
        if want != got:
            return Comparison(False, f"expected columns {want}, got {got}")
    if len(expected.rows) != len(actual.rows):
        return Comparison(False, f"expected {len(expected.rows)} rows, got {len(actual.rows)}")
    return OK


def _normalise_row(row: Sequence[Any], tolerance: float) -> tuple[Any, ...]:
    # Rounding to the tolerance's decimal places makes floats hashable and sortable while still
    # equal within tolerance in all but the rare case of straddling a rounding boundary.
    digits = max(0, -math.floor(math.log10(tolerance)))
    normalised: list[Any] = []
    for value in row:
        normalised.append(_normalise_value(value, digits))
    return tuple(normalised)


def _normalise_value(value: Any, digits: int) -> Any:
    if not isinstance(value, float):
        return value
    rounded = round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    if rounded == int(rounded) and abs(rounded) < 2**53:
        return int(rounded)  # 3.0 from one engine equals 3 from another
    return rounded


def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    # Rows mix None, numbers and strings; order by a (type rank, text) pair that never raises.
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, int | float):
            key.append((1, f"{float(value):+040.12f}"))
        else:
            key.append((2, str(value)))
    return tuple(key)


def _chomp(text: str) -> str:
    return text.replace("\r\n", "\n").removesuffix("\n")


def _number(token: str) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _lines_multiset(text: str) -> Counter[str]:
    return Counter(line.rstrip() for line in text.splitlines() if line.strip())


def _first_difference(want: Sequence[str], got: Sequence[str], *, unit: str = "line") -> str:
    for index, (w, g) in enumerate(zip(want, got, strict=False)):
        if w != g:
            return f"{unit} {index + 1} differs"
    return f"expected {len(want)} {unit}s, got {len(got)}"
