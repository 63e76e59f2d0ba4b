"""A strict reader of git-style unified diffs, for code review tasks.

It records, per file, which NEW-side line numbers a reviewer can see (context and added lines
of each hunk), and reports hunks whose header counts disagree with their body: hand-edited
diffs drift, and a drifted diff puts a planted defect on the wrong line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class Hunk:
    """One ``@@`` block: where it starts and the NEW-side lines shown in it."""

    header_line: int  # 1-based line of the ``@@`` header in the diff file
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    new_lines: set[int] = field(default_factory=set)


@dataclass
class DiffFile:
    """One file of the change, named by its NEW-side path (``+++ b/<path>``)."""

    old_path: str | None  # None for a new file (``--- /dev/null``)
    new_path: str | None  # None for a deleted file (``+++ /dev/null``)
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def visible_new_lines(self) -> set[int]:
        lines: set[int] = set()
        for hunk in self.hunks:
            lines |= hunk.new_lines
        return lines


@dataclass
class ParsedDiff:
    """The files of a diff, its length in lines, and what is malformed in it."""

    files: list[DiffFile]
    line_count: int
    errors: list[str]

    def file(self, new_path: str) -> DiffFile | None:
        return next((f for f in self.files if f.new_path == new_path), None)


def _strip_prefix(path: str) -> str | None:
    path = path.split("\t", 1)[0].strip()
    if path == "/dev/null":
        return None
    return path[2:] if path.startswith(("a/", "b/")) else path


class _Reader:
    """Reads a diff line by line, tracking the current file and hunk."""

    def __init__(self) -> None:
        self.files: list[DiffFile] = []
        self.errors: list[str] = []
        self.current: DiffFile | None = None
        self.hunk: Hunk | None = None
        self.pending_old: str | None = None
        self.old_seen = self.new_seen = self.new_line = 0

    def in_hunk_body(self, line: str) -> bool:
        hunk = self.hunk
        if hunk is None or line[:1] not in {" ", "-", "+", ""}:
            return False
        return self.old_seen < hunk.old_count or self.new_seen < hunk.new_count

    def body_line(self, line: str) -> None:
        assert self.hunk is not None
        marker = line[:1] or " "  # some editors strip the space of an empty context line
        if marker != "+":
            self.old_seen += 1
        if marker != "-":
            self.hunk.new_lines.add(self.new_line)
            self.new_seen += 1
            self.new_line += 1

    def close_hunk(self) -> None:
        hunk = self.hunk
        if hunk is not None and (self.old_seen, self.new_seen) != (hunk.old_count, hunk.new_count):
            self.errors.append(
                f"line {hunk.header_line}: hunk header says -{hunk.old_count} +{hunk.new_count} "
                f"lines but the hunk has -{self.old_seen} +{self.new_seen}"
            )
        self.hunk = None

    def header_line(self, number: int, line: str) -> None:
        if line.startswith("diff --git "):
            self.close_hunk()
            self.current, self.pending_old = None, None
        elif line.startswith("--- "):
            self.close_hunk()
            self.pending_old = line[4:]
        elif line.startswith("+++ "):
            if self.pending_old is None:
                self.errors.append(f"line {number}: '+++' without a preceding '---' line")
            self.current = DiffFile(_strip_prefix(self.pending_old or ""), _strip_prefix(line[4:]))
            self.files.append(self.current)
            self.pending_old = None
        elif match := _HUNK.match(line):
            self.open_hunk(number, match)
        elif self.hunk is not None and line[:1] in {" ", "-", "+"}:
            self.errors.append(
                f"line {number}: more lines than the hunk header at line "
                f"{self.hunk.header_line} announces"
            )
        # Other lines (index, mode, rename, similarity headers) carry nothing we check.

    def open_hunk(self, number: int, match: re.Match[str]) -> None:
        self.close_hunk()
        if self.current is None:
            self.errors.append(f"line {number}: hunk before any '---'/'+++' file header")
            return
        old_start, old_count, new_start, new_count = match.groups()
        self.hunk = Hunk(
            number,
            int(old_start),
            1 if old_count is None else int(old_count),
            int(new_start),
            1 if new_count is None else int(new_count),
        )
        self.current.hunks.append(self.hunk)
        self.old_seen = self.new_seen = 0
        self.new_line = self.hunk.new_start


def parse_unified_diff(text: str) -> ParsedDiff:
    """Parse a git-style unified diff; malformed parts go to ``errors`` with their line."""
    lines = text.splitlines()
    reader = _Reader()
    for number, line in enumerate(lines, start=1):
        if reader.in_hunk_body(line):
            reader.body_line(line)
        elif not line.startswith("\\"):  # "\ No newline at end of file"
            reader.header_line(number, line)
    reader.close_hunk()
    if not reader.files:
        reader.errors.append("no file headers ('--- a/<path>' / '+++ b/<path>') found")
    return ParsedDiff(files=reader.files, line_count=len(lines), errors=reader.errors)
