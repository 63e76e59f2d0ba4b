"""The skill-profile chart, drawn server-side as inline SVG (no script, prints in PDFs)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

WIDTH = 560
ROW = 26
LABEL = 150
BAR = WIDTH - LABEL - 60


def skill_bars(
    skills: Mapping[str, Mapping[str, Any]],
    *,
    title: str = "Skill profile",
    thin_se: float | None = None,
) -> str:
    """Horizontal bars per skill (0..100), in the given order, with a ±1.96 SE band drawn over
    each bar; a skill whose SE is above ``thin_se`` gets no bar, only "too little evidence"."""
    rows = list(skills.items())
    height = ROW * max(len(rows), 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="skill-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = LABEL + BAR * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">{tick}</text>'
        )
    for index, (skill, entry) in enumerate(rows):
        y = index * ROW + 4
        score = min(max(float(entry["score"]), 0.0), 100.0)
        se = float(entry.get("se", 0.0))
        if thin_se is not None and se > thin_se:
            parts.append(
                f'<text x="{LABEL - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
                f"{escape(skill)}</text>"
                f'<text x="{LABEL + 4}" y="{y + 14}" font-size="11" fill="#555">'
                f"too little evidence (± {se:.0f})</text>"
            )
            continue
        low, high = max(score - 1.96 * se, 0.0), min(score + 1.96 * se, 100.0)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{escape(skill)}</text>"
            f'<rect x="{LABEL}" y="{y + 3}" width="{BAR * score / 100:.1f}" height="14" '
            f'fill="#4a6fa5"><title>{escape(skill)}: {score:.0f} ± {se:.0f}</title></rect>'
            f'<line x1="{LABEL + BAR * low / 100:.1f}" y1="{y + 10}" '
            f'x2="{LABEL + BAR * high / 100:.1f}" y2="{y + 10}" stroke="#111" stroke-width="2"/>'
            f'<text x="{LABEL + BAR + 6}" y="{y + 14}" font-size="11">{score:.0f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
