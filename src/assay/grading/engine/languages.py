"""Per-language knowledge: how to syntax-check, run unit tests and run a program in the sandbox.

Commands use absolute paths of the toolchains under /usr, which the sandbox mounts read-only.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from assay.grading.packages import IO_ENTRY, Language

from .junit import JUnitCase

PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"
# Resolve the alternatives symlinks once, on the host: the same /usr is mounted in the sandbox.
JAVA_HOME = (
    Path("/usr/bin/javac").resolve().parent.parent
    if Path("/usr/bin/javac").exists()
    else Path("/usr/lib/jvm/default-java")
)
JAVA = str(JAVA_HOME / "bin" / "java")
JAVAC = str(JAVA_HOME / "bin" / "javac")
JUNIT_DIR = "/usr/share/java"
JUNIT_COMPILE_CLASSPATH = ":".join(
    f"{JUNIT_DIR}/{jar}"
    for jar in (
        "junit-jupiter-api.jar",
        "junit-jupiter-params.jar",
        "apiguardian-api.jar",
        "opentest4j.jar",
        "junit-platform-commons.jar",
    )
)
JUNIT_CONSOLE = f"{JUNIT_DIR}/junit-platform-console-standalone.jar"

TESTS_DIR = "tests"

# Compiles each file without running or writing anything; prints the error a candidate needs.
_PYTHON_SYNTAX_CHECK = (
    "import sys\n"
    "for path in sys.argv[1:]:\n"
    "    with open(path, encoding='utf-8') as f:\n"
    "        compile(f.read(), path, 'exec')\n"
)

# pytest must neither write into the read-only /box nor load whatever plugins the host has.
PYTHON_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

# V8's last words when it aborts on its own heap limit (SIGABRT, never seen by the cgroup).
HEAP_EXHAUSTED = "JavaScript heap out of memory"

# A node:test reporter that writes HEAP_EXHAUSTED once a test file's process (the runner's
# child, whose stderr only reporters see) has printed it. Inline, so it needs no file in /box.
_HEAP_REPORTER = (
    "data:text/javascript,export default async function*(events){let seen=false;"
    "for await(const e of events){"
    'if(!seen&&e.type==="test:stderr"&&String(e.data.message).includes("'
    + HEAP_EXHAUSTED
    + '")){seen=true;yield "'
    + HEAP_EXHAUSTED
    + '\\n";}}}'
)


def java_flags(memory_mb: int) -> str:
    """JVM flags for a 1-core cgroup: serial GC, quick start-up, heap bounded by the cgroup.

    -Xmx is the cgroup limit itself (as in the sandbox's languages.py, ADR 0005): a memory bomb
    then meets the cgroup first and is reported as memory_limit; under half the limit it ended
    as the JVM's own OutOfMemoryError, a runtime_error.
    """
    heap = max(32, memory_mb)
    return (
        f"-Xmx{heap}m -Xss8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
        "-XX:ActiveProcessorCount=1 -XX:-UsePerfData"
    )


def _quoted(paths: Iterable[str]) -> str:
    return " ".join(shlex.quote(p) for p in paths)


def syntax_check(language: Language, solution: Iterable[str]) -> str:
    """Shell lines that emit a compile_error section and stop if the solution does not parse."""
    files = _quoted(solution)
    if language == Language.PYTHON:
        check = f"{PYTHON} -c {shlex.quote(_PYTHON_SYNTAX_CHECK)} {files}"
    elif language == Language.NODE:
        check = f'for f in {files}; do {NODE} --check "$f" || exit 1; done'
    else:
        raise ValueError(f"{language} is compiled, not syntax-checked")
    return (
        f"if ! ( {check} ) </dev/null >/tmp/compile.txt 2>&1 3>&-; then\n"
        "  emit compile_error - /tmp/compile.txt; exit 0\n"
        "fi\n"
    )


def unit_script(
    language: Language,
    solution: Iterable[str],
    tests: Iterable[str],
    memory_mb: int,
    *,
    test_timeout: int,
    node_file: str | None = None,
    node_name_pattern: str | None = None,
) -> str:
    """The wrapper script that runs a unit-test suite and emits its JUnit XML on fd 3.

    `test_timeout` (seconds) bounds each test, so one looping test fails alone rather than
    running the whole suite into the sandbox's limits. For node:test, `node_file` runs that test
    file alone and `node_name_pattern` (a JavaScript regular expression) only the tests whose
    names match it; the others are reported as skipped.
    """
    solution = sorted(solution)
    tests = sorted(tests)
    if language == Language.PYTHON:
        return syntax_check(language, solution) + (
            f"{PYTHON} -m pytest -q --tb=short --show-capture=no -p no:cacheprovider"
            # The signal method interrupts the test and carries on; the thread method would
            # end the whole process, and the report with it.
            f" -p pytest_timeout --timeout={test_timeout} --timeout-method=signal"
            " --continue-on-collection-errors -o junit_family=xunit1"
            f" --junitxml=/tmp/report.xml {TESTS_DIR} </dev/null >/dev/null 3>&-\n"
            "status $? -\n"
            "[ -f /tmp/report.xml ] && emit junit - /tmp/report.xml\n"
            "exit 0\n"
        )
    if language == Language.NODE:
        # One node --test per file so that each report is labelled with its file: node's
        # junit reporter does not say which file a test came from.
        lines = [syntax_check(language, solution)]
        # The runner and its child each get this heap (the flag is passed on to the child):
        # two processes of half the limit fit in the cgroup together.
        heap = max(32, memory_mb // 2)
        pattern = ""
        if node_name_pattern is not None:
            pattern = f" --test-name-pattern={shlex.quote(node_name_pattern)}"
        for path in tests:
            if not path.endswith(".test.js") or node_file not in (None, path):
                continue
            label = shlex.quote(node_test_label(path))
            lines.append(
                f"rm -f /tmp/report.xml /tmp/heap.txt; {NODE} --max-old-space-size={heap} --test"
                f" --test-timeout={test_timeout * 1000}{pattern}"
                " --test-reporter=junit --test-reporter-destination=/tmp/report.xml"
                f" --test-reporter={shlex.quote(_HEAP_REPORTER)}"
                " --test-reporter-destination=/tmp/heap.txt"
                f" {shlex.quote(TESTS_DIR + '/' + path)} </dev/null >/dev/null 3>&-\n"
                f"status $? {label}\n"
                f"[ -f /tmp/report.xml ] && emit junit {label} /tmp/report.xml\n"
                f"[ -s /tmp/heap.txt ] && emit heap_exhausted {label} /tmp/heap.txt\n"
            )
        return "".join(lines) + "exit 0\n"
    sources = _quoted([*solution, *(f"{TESTS_DIR}/{t}" for t in tests if t.endswith(".java"))])
    flags = java_flags(memory_mb)
    javac_flags = " ".join(f"-J{flag}" for flag in flags.split())
    return (
        "mkdir -p /tmp/classes /tmp/reports\n"
        f"if ! {JAVAC} {javac_flags} -encoding UTF-8 -nowarn -d /tmp/classes"
        f" -cp {JUNIT_COMPILE_CLASSPATH} {sources} </dev/null >/tmp/compile.txt 2>&1 3>&-; then\n"
        "  emit compile_error - /tmp/compile.txt; exit 0\n"
        "fi\n"
        f"{JAVA} {flags} -jar {JUNIT_CONSOLE} --class-path /tmp/classes --scan-class-path"
        " --reports-dir /tmp/reports --disable-banner --details=none"
        # A test still running at its timeout is abandoned in its own thread, not awaited.
        f" --config {shlex.quote(f'junit.jupiter.execution.timeout.default={test_timeout} s')}"
        " --config junit.jupiter.execution.timeout.mode=enabled"
        " --config junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD"
        " </dev/null >/dev/null 3>&-\n"
        "status $? -\n"
        "[ -f /tmp/reports/TEST-junit-jupiter.xml ] &&"
        " emit junit - /tmp/reports/TEST-junit-jupiter.xml\n"
        "exit 0\n"
    )


def io_script(language: Language, memory_mb: int) -> str:
    """A wrapper that runs an io program on the case's stdin (Java: already compiled classes).

    It does not use the token prelude: stdout is the answer, and fd 3 carries only the
    syntax-check failure, written before the candidate's program starts with fd 3 closed.
    """
    entry = IO_ENTRY[language]
    if language == Language.PYTHON:
        run = f"exec {PYTHON} {entry} 3>&-"
    elif language == Language.NODE:
        # One process: its heap is the cgroup limit itself, so a memory bomb meets the cgroup
        # (memory_limit) first, as in the sandbox's languages.py (ADR 0005).
        run = f"exec {NODE} --max-old-space-size={max(32, memory_mb)} {entry} 3>&-"
    else:
        return f"exec {JAVA} {java_flags(memory_mb)} -cp /box/classes Main 3>&-\n"
    check = f"{PYTHON} -c {shlex.quote(_PYTHON_SYNTAX_CHECK)} {entry}"
    if language == Language.NODE:
        check = f"{NODE} --check {entry}"
    return (
        f"if ! {check} </dev/null >/tmp/compile.txt 2>&1 3>&-; then cat /tmp/compile.txt >&3;"
        " exit 1; fi\n"
        f"{run}\n"
    )


def java_compile_script(solution: Iterable[str], memory_mb: int) -> str:
    """Compile a Java io solution once; emit the class files (as a zip) for the case runs."""
    flags = " ".join(f"-J{flag}" for flag in java_flags(memory_mb).split())
    pack = (
        "import os, sys, zipfile\n"
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
        "    for d, _, fs in os.walk('/tmp/classes'):\n"
        "        for f in fs:\n"
        "            p = os.path.join(d, f); z.write(p, os.path.relpath(p, '/tmp/classes'))\n"
    )
    return (
        "mkdir -p /tmp/classes\n"
        f"if ! {JAVAC} {flags} -encoding UTF-8 -nowarn -d /tmp/classes {_quoted(sorted(solution))}"
        " </dev/null >/tmp/compile.txt 2>&1 3>&-; then\n"
        "  emit compile_error - /tmp/compile.txt; exit 0\n"
        "fi\n"
        f"{PYTHON} -c {shlex.quote(pack)} /tmp/classes.zip 3>&-"
        " && emit classes - /tmp/classes.zip\n"
        "exit 0\n"
    )


_JAVA_METHOD = re.compile(r"^([^()\s]+)\([^)]*\)(.*)$")


def reported_name(language: Language, case: JUnitCase, label: str) -> str:
    """The reported name of a test: "<test file path without extension>::<test>".

    python: "test_bucket::test_refill" ("test_bucket::TestClass::test_x", "…::test_p[3]")
    node:   "bucket.test::describe::it"   java: "BucketTest::refills" (nested: "Outer::Inner::m")
    A failure outside any test (an import error) is named after the file alone.
    """
    if language == Language.PYTHON:
        return _python_name(case)
    if language == Language.NODE:
        if case.name.startswith("/") or not case.name:
            return label
        return "::".join((label, *case.suites, case.name))
    method = _JAVA_METHOD.match(case.name)
    name = f"{method.group(1)}{method.group(2)}" if method else case.name
    owner = case.classname.replace(".", "/").replace("$", "::")
    return f"{owner}::{name}" if owner else name


def _python_name(case: JUnitCase) -> str:
    if not case.file:
        return case.name or case.classname
    relative = PurePosixPath(case.file)
    if relative.parts and relative.parts[0] == TESTS_DIR:
        relative = PurePosixPath(*relative.parts[1:])
    label = relative.with_suffix("").as_posix()
    if not case.classname:  # collection error: the module itself failed
        return label
    module = PurePosixPath(case.file).with_suffix("").as_posix().replace("/", ".")
    owner = case.classname[len(module) + 1 :] if case.classname.startswith(module) else ""
    owner = owner.replace(".", "::")
    return "::".join(part for part in (label, owner, case.name) if part)


def node_test_label(path: str) -> str:
    """How a node:test file's tests are labelled: "bucket.test.js" -> "bucket.test"."""
    return _label(path, ".js")


def _label(path: str, suffix: str) -> str:
    return path[: -len(suffix)] if path.endswith(suffix) else path
