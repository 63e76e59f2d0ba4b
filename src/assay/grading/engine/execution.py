"""Running one request in the sandbox, and the report protocol our wrapper scripts speak on fd 3.

Wrapper scripts (run by /bin/sh inside the sandbox) read a random token from stdin, then write
to fd 3 the token line followed by sections ``<kind> <label> <nbytes>\\n<payload>``. Candidate
processes are started with fd 3 closed and never see the token, so a candidate cannot append a
forged section that the engine would accept: a report that does not parse is a runtime error.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from assay.grading.sandbox import (
    Limits,
    RunRequest,
    RunResult,
    Sandbox,
    SandboxUnavailable,
    Verdict,
)

from .errors import GradingInfrastructureError

# Sourced at the top of every wrapper: `emit KIND LABEL FILE` appends one section to fd 3.
SHELL_PRELUDE = """\
IFS= read -r token || exit 0
printf '%s\\n' "$token" >&3
emit() { n=$(wc -c < "$3"); printf '%s %s %s\\n' "$1" "$2" "$n" >&3; cat "$3" >&3; }
status() { printf '%s' "$1" > /tmp/status.txt; emit status "$2" /tmp/status.txt; }
"""


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    payload: bytes


@dataclass(frozen=True)
class WrappedRun:
    """A sandbox run of a wrapper script; `sections` is None when the report is absent or forged."""

    result: RunResult
    sections: list[Section] | None


def run(sandbox: Sandbox, request: RunRequest) -> RunResult:
    """Run in the sandbox; infrastructure failures become GradingInfrastructureError."""
    try:
        result = sandbox.run(request)
    except SandboxUnavailable as exc:
        raise GradingInfrastructureError(f"sandbox unavailable: {exc}") from exc
    if result.verdict == Verdict.SANDBOX_ERROR:
        raise GradingInfrastructureError(f"sandbox error: {result.message}")
    return result


def run_wrapper(
    sandbox: Sandbox,
    script: str,
    files: Mapping[str, bytes],
    limits: Limits,
    env: Mapping[str, str] | None = None,
) -> WrappedRun:
    """Run a wrapper script (SHELL_PRELUDE + script) and read its fd-3 sections."""
    token = secrets.token_hex(16)
    request = RunRequest(
        argv=["/bin/sh", "-c", SHELL_PRELUDE + script],
        files=files,
        stdin=f"{token}\n".encode(),
        limits=limits,
        env=dict(env or {}),
    )
    result = run(sandbox, request)
    return WrappedRun(result=result, sections=read_sections(result.report, token))


def read_sections(report: bytes, token: str) -> list[Section] | None:
    """The sections after a valid token line, or None if the report is missing or malformed."""
    header, newline, rest = report.partition(b"\n")
    if not newline or not secrets.compare_digest(header, token.encode()):
        return None
    sections: list[Section] = []
    while rest:
        line, newline, rest = rest.partition(b"\n")
        fields = line.split(b" ")
        if not newline or len(fields) != 3 or not fields[2].isdigit():
            return None
        size = int(fields[2])
        payload, rest = rest[:size], rest[size:]
        if len(payload) != size:
            return None  # cut by the report cap
        sections.append(Section(fields[0].decode(), fields[1].decode(errors="replace"), payload))
    return sections


def encode(files: Mapping[str, str]) -> dict[str, bytes]:
    return {name: content.encode() for name, content in files.items()}


def tail(data: bytes, limit: int = 4000) -> str:
    """The end of a stream as text, for staff-only details."""
    text = data.decode(errors="replace")
    return text if len(text) <= limit else "[…]" + text[-limit:]
