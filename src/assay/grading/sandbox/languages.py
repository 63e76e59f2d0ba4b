"""How to run one program of each language in the sandbox; shared by the CLI and the engine.

Heap limits come from the runtimes' own flags (never RLIMIT_AS, which stops the JVM and V8 from
starting) and are set to the cgroup limit itself, so that it is the cgroup that bounds them: a
memory bomb is then stopped by the kernel and observed as memory_limit, not guessed from a
runtime's error message.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from pathlib import Path

from assay.grading.sandbox.model import Limits, RunRequest, RunResult, Verdict

LANGUAGES = ("python", "node", "java", "sqlite")
PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"
# The alternatives links are resolved on the host; the same /usr is mounted in the sandbox.
JAVA_BIN = (
    Path("/usr/bin/java").resolve().parent if Path("/usr/bin/java").exists() else Path("/usr/bin")
)
JAVA = str(JAVA_BIN / "java")
JAVAC = str(JAVA_BIN / "javac")
# The JVM alone runs ~15 threads (C1 compiler, reference handler, ...), javac a few more.
JAVA_MIN_PIDS = 128
# Written by the java launcher script to fd 3 when javac fails, before the program can run.
COMPILE_FAILED_MARKER = b"assay:compile_error\n"
SQLITE_DRIVER = "sqlite_driver.py"
SQLITE_SCRIPT = "script.sql"
JAVA_CLASS = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*\.java$")


def python_command(entry: str) -> list[str]:
    # -B: /box is read-only, so never try to write .pyc; -s: no user site-packages. Not -S, which
    # would hide Debian's dist-packages (pytest) and not -I, which drops the script's directory.
    return [PYTHON, "-B", "-s", entry]


def node_command(entry: str, memory_mb: int) -> list[str]:
    return [NODE, f"--max-old-space-size={memory_mb}", entry]


def jvm_flags(memory_mb: int) -> list[str]:
    """Quick start on one core: serial GC, C1 only, the CDS archive, no perf-data file in /tmp."""
    return [
        f"-Xmx{memory_mb}m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-XX:-UsePerfData",
    ]


def java_command(source_name: str, memory_mb: int) -> list[str]:
    """Compile with javac into /tmp, then run the class named after the file (Main.java -> Main).

    A javac failure writes COMPILE_FAILED_MARKER to fd 3; fd 3 is closed before the program
    starts, so the program itself cannot claim a compile error.
    """
    if not JAVA_CLASS.match(source_name):
        raise ValueError(f"{source_name!r} is not a Java source file named after its class")
    class_name = source_name.removesuffix(".java")
    javac_flags = " ".join(f"-J{flag}" for flag in jvm_flags(memory_mb))
    java_flags = " ".join(jvm_flags(memory_mb))
    marker = shlex.quote(COMPILE_FAILED_MARKER.decode().rstrip("\n"))
    script = (
        f"{JAVAC} {javac_flags} -encoding UTF-8 -d /tmp/classes {shlex.quote(source_name)} 1>&2 "
        f"|| {{ echo {marker} >&3; exit 1; }}\n"
        "exec 3>&-\n"
        f"exec {JAVA} {java_flags} -cp /tmp/classes {class_name}\n"
    )
    return ["/bin/sh", "-c", script]


def limits_for(language: str, limits: Limits) -> Limits:
    if language == "java" and limits.pids < JAVA_MIN_PIDS:
        return dataclasses.replace(limits, pids=JAVA_MIN_PIDS)
    return limits


def program_request(
    language: str, source_name: str, source: bytes, *, stdin: bytes, limits: Limits
) -> RunRequest:
    """A request that runs one source file as a program reading stdin and writing stdout."""
    limits = limits_for(language, limits)
    name = Path(source_name).name
    if language == "python":
        return RunRequest(
            argv=python_command(name), files={name: source}, stdin=stdin, limits=limits
        )
    if language == "node":
        return RunRequest(
            argv=node_command(name, limits.memory_mb),
            files={name: source},
            stdin=stdin,
            limits=limits,
        )
    if language == "java":
        return RunRequest(
            argv=java_command(name, limits.memory_mb),
            files={name: source},
            stdin=stdin,
            limits=limits,
        )
    if language == "sqlite":
        driver = Path(__file__).with_name(SQLITE_DRIVER).read_bytes()
        return RunRequest(
            argv=[*python_command(SQLITE_DRIVER), SQLITE_SCRIPT],
            files={SQLITE_DRIVER: driver, SQLITE_SCRIPT: source},
            stdin=stdin,
            limits=limits,
        )
    raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")


def program_verdict(language: str, result: RunResult) -> Verdict:
    """The sandbox's verdict, with a failed compilation told apart (java)."""
    compile_failed = language == "java" and result.report == COMPILE_FAILED_MARKER
    if compile_failed and result.verdict is Verdict.RUNTIME_ERROR:
        return Verdict.COMPILE_ERROR
    return result.verdict
