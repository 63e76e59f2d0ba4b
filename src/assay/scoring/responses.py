"""The long-format response table (one row per candidate and item) and its CSV reader."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assay.errors import ValidationFailed

REQUIRED_COLUMNS = ("candidate", "item", "score")
# Optional columns used by the classical analysis: the option(s) picked and the time taken.
OPTIONAL_COLUMNS = ("choice", "seconds")
# A calibration file of a few million rows is plenty; beyond that the CLI is the wrong tool.
MAX_ROWS = 5_000_000


@dataclass(frozen=True)
class Response:
    """One candidate's scored answer to one item.

    ``choice`` holds the option id(s) picked on a choice item, comma-separated for a
    multiple-answer item; ``seconds`` the time spent on the item.
    """

    candidate: str
    item: str
    score: float
    choice: str | None = None
    seconds: float | None = None


@dataclass(frozen=True, eq=False)
class ResponseTable:
    """Responses in long format, indexed for vectorised work.

    Candidates and items keep their first-seen order. A candidate who was not shown an item
    simply has no row for it: nothing is imputed.
    """

    candidates: tuple[str, ...]
    items: tuple[str, ...]
    candidate_index: npt.NDArray[np.intp]
    item_index: npt.NDArray[np.intp]
    scores: npt.NDArray[np.float64]
    choices: tuple[str | None, ...]
    seconds: npt.NDArray[np.float64]  # NaN where the time is unknown

    @classmethod
    def from_responses(cls, responses: Iterable[Response]) -> ResponseTable:
        """Index ``responses``; a second answer by a candidate to the same item is an error."""
        candidates: dict[str, int] = {}
        items: dict[str, int] = {}
        seen: set[tuple[int, int]] = set()
        candidate_index: list[int] = []
        item_index: list[int] = []
        scores: list[float] = []
        choices: list[str | None] = []
        seconds: list[float] = []
        for response in responses:
            if not response.candidate or not response.item:
                raise ValidationFailed("every response needs a candidate id and an item id")
            if not math.isfinite(response.score):
                raise ValidationFailed(
                    f"candidate {response.candidate!r}, item {response.item!r}: "
                    f"score {response.score} is not a finite number"
                )
            c = candidates.setdefault(response.candidate, len(candidates))
            i = items.setdefault(response.item, len(items))
            if (c, i) in seen:
                raise ValidationFailed(
                    f"candidate {response.candidate!r} answered item {response.item!r} twice"
                )
            seen.add((c, i))
            candidate_index.append(c)
            item_index.append(i)
            scores.append(float(response.score))
            choices.append(response.choice or None)
            seconds.append(math.nan if response.seconds is None else float(response.seconds))
        return cls(
            candidates=tuple(candidates),
            items=tuple(items),
            candidate_index=np.asarray(candidate_index, dtype=np.intp),
            item_index=np.asarray(item_index, dtype=np.intp),
            scores=np.asarray(scores, dtype=np.float64),
            choices=tuple(choices),
            seconds=np.asarray(seconds, dtype=np.float64),
        )

    def __len__(self) -> int:
        return int(self.scores.size)

    def score_matrix(self) -> npt.NDArray[np.float64]:
        """Candidates × items scores, NaN where the item was not administered."""
        matrix = np.full((len(self.candidates), len(self.items)), np.nan)
        matrix[self.candidate_index, self.item_index] = self.scores
        return matrix


def read_responses_csv(path: Path) -> ResponseTable:
    """Read a long CSV with header ``candidate,item,score`` (plus optional ``choice,seconds``).

    Every problem is a :class:`ValidationFailed` naming the line, never a traceback.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed(f"{path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise ValidationFailed(f"cannot read {path}: {error.strerror or error}") from error
    return parse_responses_csv(text, source=str(path))


def parse_responses_csv(text: str, *, source: str = "input") -> ResponseTable:
    """Parse CSV text in the format of :func:`read_responses_csv`."""
    if "\x00" in text:
        raise ValidationFailed(f"{source}: a binary file, not CSV")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise ValidationFailed(f"{source}: the file is empty (expected a header row)")
        columns = _column_positions(header, source)
        responses = [
            _parse_row(row, columns, line=reader.line_num, source=source)
            for row in reader
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise ValidationFailed(f"{source}, line {reader.line_num}: {error}") from error
    if not responses:
        raise ValidationFailed(f"{source}: no responses after the header")
    if len(responses) > MAX_ROWS:
        raise ValidationFailed(f"{source}: more than {MAX_ROWS:,} responses")
    try:
        return ResponseTable.from_responses(responses)
    except ValidationFailed as error:
        raise ValidationFailed(f"{source}: {error.message}") from error


def _column_positions(header: Sequence[str], source: str) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ValidationFailed(
            f"{source}: the first line must be the header candidate,item,score "
            f"(missing {', '.join(missing)}; got {','.join(header)!r})"
        )
    return {
        name: names.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in names
    }


def _parse_row(row: Sequence[str], columns: dict[str, int], *, line: int, source: str) -> Response:
    def cell(name: str) -> str:
        position = columns.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    where = f"{source}, line {line}"
    candidate, item, raw_score = cell("candidate"), cell("item"), cell("score")
    if not candidate or not item:
        raise ValidationFailed(f"{where}: candidate and item must not be empty")
    if not raw_score:
        raise ValidationFailed(
            f"{where}: the score is empty (leave the row out for an item that was not "
            "administered; score an unanswered item 0)"
        )
    score = _number(raw_score, where=f"{where}: score")
    raw_seconds = cell("seconds")
    seconds = _number(raw_seconds, where=f"{where}: seconds") if raw_seconds else None
    if seconds is not None and seconds < 0:
        raise ValidationFailed(f"{where}: seconds must not be negative")
    return Response(candidate, item, score, choice=cell("choice") or None, seconds=seconds)


def _number(raw: str, *, where: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValidationFailed(f"{where} {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ValidationFailed(f"{where} {raw!r} is not a finite number")
    return value
