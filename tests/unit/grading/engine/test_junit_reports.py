"""JUnit XML parsing, including the hostile documents candidate code can produce."""

import pytest

from assay.grading.engine.junit import MalformedReport, is_assertion, parse
from assay.grading.engine.languages import reported_name
from assay.grading.packages import Language

PYTEST_XML = b"""<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="" name="tests.test_b" file="tests/test_b.py">
<error message="collection failure">
E   ModuleNotFoundError: No module named 'x'</error></testcase>
<testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py" line="2"/>
<testcase classname="tests.test_a" name="test_wrong" file="tests/test_a.py">
<failure message="assert 3 == 4">E   assert 3 == 4

tests/test_a.py:4: AssertionError</failure></testcase>
<testcase classname="tests.test_a" name="test_boom" file="tests/test_a.py">
<failure message="ZeroDivisionError: division by zero">
tests/test_a.py:5: ZeroDivisionError</failure>
</testcase>
<testcase classname="tests.test_a.TestK.TestInner" name="test_m[2-x]"
 file="tests/test_a.py"/>
<testcase classname="tests.test_a" name="test_skip" file="tests/test_a.py">
<skipped message="s"/></testcase>
</testsuite></testsuites>"""

NODE_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testcase name="adds" classname="test"/>
  <testcase name="wrong" classname="test" failure="x"><failure type="testCodeFailure"
  message="Expected values to be strictly equal">cause: AssertionError [ERR_ASSERTION]
  </failure></testcase>
  <testcase name="boom" classname="test"><failure type="testCodeFailure"
  message="Cannot read properties of null">cause: TypeError</failure></testcase>
  <testsuite name="group"><testsuite name="inner">
  <testcase name="deep" classname="test"/></testsuite></testsuite>
  <testcase name="/box/tests/b.test.js" classname="test"><failure message="test failed"/></testcase>
  <!-- tests 5 -->
</testsuites>"""

JAVA_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="JUnit Jupiter" tests="4"><properties><property name="a" value="b"/></properties>
<testcase name="boom()" classname="CalcTest"><error message="Index 2"
 type="java.lang.ArrayIndexOutOfBoundsException">trace</error></testcase>
<testcase name="wrong()" classname="CalcTest">
<failure message="expected: &lt;4&gt; but was: &lt;3&gt;"
 type="org.opentest4j.AssertionFailedError">trace</failure></testcase>
<testcase name="deep()" classname="CalcTest$Inner"/>
<testcase name="add(int, int)[1]" classname="com.acme.CalcTest"/>
</testsuite>"""


def names(language, document, label="-"):
    return [reported_name(language, case, label) for case in parse(document)]


def test_pytest_report():
    cases = parse(PYTEST_XML)
    assert names(Language.PYTHON, PYTEST_XML) == [
        "test_b",
        "test_a::test_ok",
        "test_a::test_wrong",
        "test_a::test_boom",
        "test_a::TestK::TestInner::test_m[2-x]",
        "test_a::test_skip",
    ]
    assert [c.status for c in cases] == ["error", "passed", "failed", "failed", "passed", "skipped"]
    assert [is_assertion(c) for c in cases if c.status == "failed"] == [True, False]
    assert not is_assertion(cases[0])


def test_node_report_names_by_file_and_describe():
    assert names(Language.NODE, NODE_XML, "math.test") == [
        "math.test::adds",
        "math.test::wrong",
        "math.test::boom",
        "math.test::group::inner::deep",
        "math.test",
    ]
    cases = parse(NODE_XML)
    assert is_assertion(cases[1])
    assert not is_assertion(cases[2])


def test_junit5_report():
    assert names(Language.JAVA, JAVA_XML) == [
        "CalcTest::boom",
        "CalcTest::wrong",
        "CalcTest::Inner::deep",
        "com/acme/CalcTest::add[1]",
    ]
    cases = parse(JAVA_XML)
    assert not is_assertion(cases[0])
    assert is_assertion(cases[1])


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"<testsuites><testcase name='a'>",  # truncated by a kill
        b"not xml at all",
        b"<html><body/></html>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<testsuites><testcase name='&b;'/></testsuites>",  # entity expansion
        b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><testsuites/>',  # external entity
        b"<testsuites><testcase name='a'/></testsuites><testsuites/>",  # two documents
        b"\xff\xfe<\x00t\x00",
    ],
)
def test_hostile_reports_raise_malformed_report_only(document):
    with pytest.raises(MalformedReport):
        parse(document)


def test_too_many_cases_is_malformed():
    document = b"<testsuites>" + b"<testcase name='x'/>" * 5001 + b"</testsuites>"
    with pytest.raises(MalformedReport, match="more than"):
        parse(document)
