"""The similarity engine: disguised copies found, template and common code ignored."""

from __future__ import annotations

import dataclasses
import json

import pytest

from assay.integrity import (
    Fingerprint,
    compare_corpus,
    fingerprint,
    fragments_between,
    score_corpus,
)
from tests.unit.integrity.samples import DISGUISES, INDEPENDENT, ORIGINAL


def similarity(a: str, b: str, language: str = "python") -> float:
    pairs = compare_corpus({"a": fingerprint(a, language), "b": fingerprint(b, language)})
    return pairs[0].similarity if pairs else 0.0


def test_independent_solutions_of_one_task_overlap_little() -> None:
    assert similarity(ORIGINAL, INDEPENDENT) < 0.2


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
def test_each_disguise_scores_far_above_an_independent_solution(disguise: str) -> None:
    copied = similarity(ORIGINAL, DISGUISES[disguise])
    independent = similarity(ORIGINAL, INDEPENDENT)
    assert copied >= 0.7
    assert copied - independent >= 0.5


def test_identical_files_score_near_one_and_unrelated_files_do_not_pair() -> None:
    assert similarity(ORIGINAL, ORIGINAL) > 0.95
    unrelated = "class Stack:\n    def __init__(self):\n        self.items = []\n"
    assert similarity(ORIGINAL, unrelated) == 0.0


TEMPLATE = """import sys


def parse_grid(text):
    grid = []
    for line in text.strip().splitlines():
        row = [int(cell) for cell in line.split(",")]
        grid.append(row)
    width = len(grid[0]) if grid else 0
    for row in grid:
        if len(row) != width:
            raise ValueError("ragged grid")
    return grid


def solve(grid):
    raise NotImplementedError
"""

SOLUTION_BY_SUMS = TEMPLATE.replace(
    "    raise NotImplementedError\n",
    "    return max(sum(row) for row in grid)\n",
)
SOLUTION_BY_LOOP = TEMPLATE.replace(
    "    raise NotImplementedError\n",
    """    best = None
    for index in range(len(grid)):
        total = 0
        for cell in grid[index]:
            total += cell
        if best is None or total > best:
            best = total
    return best
""",
)


def test_template_code_is_left_out() -> None:
    subs = {
        "sums.py": fingerprint(SOLUTION_BY_SUMS, "python"),
        "loop.py": fingerprint(SOLUTION_BY_LOOP, "python"),
    }
    without_template = compare_corpus(subs)
    assert without_template
    assert without_template[0].similarity > 0.4  # the starter code matches
    template = fingerprint(TEMPLATE, "python", window=1)
    assert compare_corpus(subs, template=template) == []


HELPER = """

def read_matrix(stream):
    rows = []
    for line in stream:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rows.append([float(value) for value in line.split()])
    size = len(rows)
    for row in rows:
        if len(row) != size:
            raise ValueError("not square")
    return rows
"""

BODIES = [
    "def answer(m):\n    return sum(m[i][i] for i in range(len(m)))\n",
    "def answer(m):\n    total = 0\n    for r in m:\n        total += max(r)\n    return total\n",
    "def answer(m):\n    return [list(col) for col in zip(*m)]\n",
    "def answer(m):\n    flat = sorted(v for r in m for v in r)\n    return flat[len(flat) // 2]\n",
    "def answer(m):\n    while m and not m[-1]:\n        m.pop()\n    return len(m)\n",
    "class Answer:\n    def __init__(self, m):\n        self.m = m\n\n    def size(self):\n"
    "        return len(self.m) * 2\n",
]


def test_code_most_submissions_share_is_left_out() -> None:
    subs = {f"s{i}.py": fingerprint(HELPER + body, "python") for i, body in enumerate(BODIES)}
    counted = compare_corpus(subs, common_fraction=1.0)
    assert max(pair.similarity for pair in counted) > 0.4  # everyone "copied" the helper
    # In more than half of the submissions (and more than 3 of them): common, not copied.
    # What is left are a few k-grams where the shared helper meets each body.
    ignored = compare_corpus(subs, common_fraction=0.5, common_min_documents=3)
    assert max(pair.similarity for pair in ignored) < 0.1


def test_a_small_cohort_that_copied_is_not_filtered_as_common() -> None:
    # Three of four candidates share the code: by default that is copying, not idiom.
    subs = {f"s{i}.py": fingerprint(HELPER + BODIES[0], "python") for i in range(3)}
    subs["other.py"] = fingerprint(BODIES[1], "python")
    pairs = compare_corpus(subs)
    assert [p.similarity > 0.9 for p in pairs[:3]] == [True, True, True]


def test_a_leaked_solution_is_matched_against_submissions_only() -> None:
    subs = {
        "alice.py": fingerprint(DISGUISES["renamed identifiers and changed literals"], "python"),
        "bob.py": fingerprint(INDEPENDENT, "python"),
    }
    leaked = {"leak-forum-post": fingerprint(ORIGINAL, "python")}
    pairs = compare_corpus(subs, leaked=leaked, min_similarity=0.5)
    assert [(p.a, p.b, p.leaked) for p in pairs] == [("alice.py", "leak-forum-post", True)]


def test_fragments_map_matches_to_line_ranges_in_both_files() -> None:
    reordered = DISGUISES["reordered functions and statements"]
    fragments = fragments_between(fingerprint(ORIGINAL, "python"), fingerprint(reordered, "python"))
    assert fragments
    original_lines = ORIGINAL.count("\n")
    copy_lines = reordered.count("\n")
    for fragment in fragments:
        assert 1 <= fragment.a_lines[0] <= fragment.a_lines[1] <= original_lines
        assert 1 <= fragment.b_lines[0] <= fragment.b_lines[1] <= copy_lines
    # Functions moved: read_words is at lines 4-11 of the original and 23-30 of the copy.
    assert any(
        f.a_lines[0] == 4 and f.a_lines[1] >= 11 and f.b_lines == (23, 30) for f in fragments
    )
    assert len(fragments) >= 4  # each moved function is its own fragment
    assert sorted(f.a_lines for f in fragments) == [f.a_lines for f in fragments]


def test_pairs_are_sorted_by_similarity_and_scores_stay_in_range() -> None:
    subs = {
        "orig.py": fingerprint(ORIGINAL, "python"),
        "other.py": fingerprint(INDEPENDENT, "python"),
    }
    subs |= {f"{name}.py": fingerprint(text, "python") for name, text in DISGUISES.items()}
    pairs = compare_corpus(subs)
    scores = [pair.similarity for pair in pairs]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    comparison = score_corpus(subs)
    assert comparison.submission_pairs == 7 * 6 // 2


SECRET_SOURCE = """
def transfer_funds(account_number_zz9, amount):
    pin_code = "hunter2-very-secret"
    ledger_total = 123456789 + amount
    return account_number_zz9, pin_code, ledger_total
"""


def test_the_fingerprint_carries_no_source_text() -> None:
    fp = fingerprint(SECRET_SOURCE, "python")
    document = json.dumps(fp.to_dict())
    for fragment in (
        "transfer_funds",
        "account_number_zz9",
        "hunter2",
        "123456789",
        "def",
        "return",
    ):
        assert fragment not in document
    assert {field.name for field in dataclasses.fields(Fingerprint)} == {
        "language",
        "k",
        "window",
        "token_count",
        "hashes",
        "positions",
        "first_lines",
        "last_lines",
    }
    for name in ("hashes", "positions", "first_lines", "last_lines"):
        assert all(type(value) is int for value in getattr(fp, name))
    assert Fingerprint.from_dict(json.loads(document)) == fp


def test_a_malformed_fingerprint_document_is_rejected() -> None:
    document = fingerprint(ORIGINAL, "python").to_dict()
    del document["hashes"]
    with pytest.raises(ValueError, match="malformed"):
        Fingerprint.from_dict(document)
    with pytest.raises(ValueError, match="same length"):
        Fingerprint.from_dict({**fingerprint(ORIGINAL, "python").to_dict(), "positions": [1]})


def test_fingerprints_of_different_languages_cannot_meet() -> None:
    with pytest.raises(ValueError, match="different languages"):
        compare_corpus({"a": fingerprint("x = 1", "python"), "b": fingerprint("x = 1;", "node")})


def test_fingerprints_are_stable_across_calls() -> None:
    assert fingerprint(ORIGINAL, "python") == fingerprint(ORIGINAL, "python")
    assert fingerprint(ORIGINAL, "python").hashes  # not empty
