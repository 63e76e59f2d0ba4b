"""The ranked list as CSV and XLSX, and the candidate report as PDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from assay.results.service import RankedCandidate

SPREADSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def skills_of(rows: Sequence[RankedCandidate]) -> list[str]:
    return sorted({skill for row in rows if row.score for skill in row.score.skills})


def table(rows: Sequence[RankedCandidate]) -> list[list[object]]:
    """Header and one row per candidate: rank, name, state, overall ± SE, percentile, skills."""
    skills = skills_of(rows)
    header: list[object] = [
        "rank",
        "name",
        "email",
        "state",
        "overall",
        "overall_se",
        "percentile",
        "p_above_next",
        "decision",
    ]
    for skill in skills:
        header += [skill, f"{skill}_se"]
    body: list[list[object]] = [header]
    for row in rows:
        score = row.score
        line: list[object] = [
            row.rank,
            row.name,
            row.candidate.email or "",
            row.state.value,
            score.overall if score else None,
            score.overall_se if score else None,
            row.percentile,
            row.p_above_next,
            row.decision.decision.value if row.decision else "",
        ]
        for skill in skills:
            entry = score.skills.get(skill) if score else None
            line += [entry["score"], entry["se"]] if entry else [None, None]
        body.append(line)
    return body


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A name starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in {"=", "+", "-", "@"} and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: Sequence[RankedCandidate]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table(rows):
        writer.writerow([_cell(value) for value in line])
    return buffer.getvalue()


def to_xlsx(rows: Sequence[RankedCandidate], *, title: str) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only exports need it

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Ranking"
    for line in table(rows):
        sheet.append([_cell(v) if isinstance(v, str) else v for v in line])
    sheet.freeze_panes = "A2"
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page (inline CSS and SVG) to PDF with WeasyPrint."""
    from weasyprint import HTML  # noqa: PLC0415 - loads Pango; only the PDF route needs it

    document: bytes = HTML(string=html).write_pdf()
    return document
