"""The canonical token stream: what it erases and what it keeps, in Python, JavaScript, Java."""

from __future__ import annotations

import pytest

from assay.integrity import compare_corpus, fingerprint
from assay.integrity.tokens import normalise


def same(a: str, b: str, language: str = "python") -> bool:
    return normalise(a, language).symbols == normalise(b, language).symbols


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("x = 1  # one\n", "x = (1)\n\n\n"),
        ("t = a, b\n", "t = (a, b,)\n"),
        ("def f():\n    '''Doc.'''\n    return 1\n", "def f():\n    return 1\n"),
        ("def f(x):\n    x += 2\n    return x\n", "def f(x):\n    x = x + 2\n    return x\n"),
        (
            "def f(p, q):\n    a, b = p, q\n    return a + b\n",
            "def f(p, q):\n    a = p\n    b = q\n    return a + b\n",
        ),
        ("def f(v):\n    return g(v) * 2\n", "def f(v):\n    tmp = g(v)\n    return tmp * 2\n"),
        ("def f(v):\n    return v\n", "def f(v):\n    return v\n    print(v)\n"),
        ("def f(v):\n    return v\n", "def f(v):\n    if False:\n        v = 3\n    return v\n"),
        ("def f(v):\n    return v\n", "def f(v):\n    unused = 7\n    pass\n    return v\n"),
        (
            "def f(v):\n    a = v + 1\n    b = v * 2\n    return a - b\n",
            "def f(v):\n    b = v * 2\n    a = v + 1\n    return a - b\n",
        ),
        (
            "def g():\n    return 1\n\ndef h():\n    return 2\n",
            "def h():\n    return 2\n\ndef g():\n    return 1\n",
        ),
        ('print("x", 1.5, True)\n', "print('y', 42, False)\n"),
        ("total = first + second\n", "s = a + b\n"),
        ("f((x for x in y))\n", "f(x for x in y)\n"),
    ],
)
def test_disguises_lower_to_the_same_tokens(a: str, b: str) -> None:
    assert same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # b reads a: the order is part of the program and must survive.
        (
            "def f(v):\n    a = v + 1\n    b = a * 2\n    return b + a + b\n",
            "def f(v):\n    b = a * 2\n    a = v + 1\n    return b + a + b\n",
        ),
        ("x = y + 1\n", "x = y - 1\n"),
        ("while x:\n    x -= 1\n", "if x:\n    x -= 1\n"),
        # A dead store whose value calls something keeps the call.
        ("def f():\n    return 1\n", "def f():\n    unused = launch()\n    return 1\n"),
    ],
)
def test_meaningful_differences_survive(a: str, b: str) -> None:
    assert not same(a, b)


def test_module_and_class_level_names_are_not_dead_stores() -> None:
    stream = normalise("class Config:\n    retries = 3\n\nLIMIT = 10\n", "python")
    assert len(stream.symbols) > 8


def test_lines_follow_tokens_back_to_the_source() -> None:
    stream = normalise("import os\n\n\ndef f(x):\n    return x\n", "python")
    assert len(stream.lines) == len(stream.symbols)
    assert set(stream.lines) == {1, 4, 5}
    # Canonical order put the import after the function: a seam marks the jump.
    assert stream.seams == [stream.lines.index(1)]


JS = """
// Sum the even numbers
function sumEven(values) {
  let total = 0;
  for (const value of values) {
    if (value % 2 === 0) {
      total += value;
    }
  }
  return total;
}
module.exports = { sumEven };
"""

JS_DISGUISED = """
/* totally my own */
function addEvens(nums)
{
    let acc = 0, unusedFlag = true
    for (const n of nums) {
        if ((n % 2) === 0) { acc = acc + n }
    }
    return acc
}
module.exports = { sumEven: addEvens };
"""


def test_javascript_is_tokenised_by_its_grammar() -> None:
    stream = normalise(JS, "node")
    assert len(stream.symbols) > 30
    assert len(set(stream.symbols)) > 10  # keywords and operators, not one blob
    pairs = compare_corpus(
        {"a.js": fingerprint(JS, "node"), "b.js": fingerprint(JS_DISGUISED, "node")}
    )
    assert pairs
    assert pairs[0].similarity > 0.6


def test_javascript_update_forms_agree() -> None:
    assert same("i++;", "i += 1;", "node")
    assert same("let a = 1, b = 2;", "let a = 1; let b = 2;", "node")
    assert same("x = `a${y}b`;", "x = 'plain';", "node")


JAVA = """
import java.util.List;

public class Stats {
    // mean of a list
    public static double mean(List<Integer> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        long sum = 0;
        for (int value : values) {
            sum += value;
        }
        return (double) sum / values.size();
    }
}
"""

JAVA_DISGUISED = """
import java.util.List;

public class Average
{
    public static double avg(List<Integer> xs)
    {
        if (xs.isEmpty()) { throw new IllegalArgumentException("no data"); }
        long total = 0;
        int ignored = 99;
        for (int x : xs) { total = total + x; }
        return (double) total / xs.size();
    }
}
"""


def test_java_is_tokenised_by_its_grammar() -> None:
    stream = normalise(JAVA, "java")
    assert len(stream.symbols) > 40
    pairs = compare_corpus(
        {"A.java": fingerprint(JAVA, "java"), "B.java": fingerprint(JAVA_DISGUISED, "java")}
    )
    assert pairs
    assert pairs[0].similarity > 0.7


def test_java_update_forms_agree() -> None:
    wrap = "class A {{ void f(int x) {{ {} }} }}"
    assert same(wrap.format("x++;"), wrap.format("x += 1;"), "java")
    assert same(wrap.format("x = x + 1;"), wrap.format("x += 1;"), "java")


@pytest.mark.parametrize("language", ["python", "node", "java"])
def test_broken_code_still_yields_tokens(language: str) -> None:
    broken = "def (((:\n  x = = 2 }}} class { return +\n\x00\xff garbage"
    stream = normalise(broken, language)
    assert stream.symbols
    assert fingerprint(broken, language).token_count == len(stream.symbols)


def test_nesting_deeper_than_the_stack_still_yields_tokens() -> None:
    hostile = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
    stream = normalise(hostile, "python")
    assert len(stream.symbols) >= 3


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        normalise("x", "cobol")
