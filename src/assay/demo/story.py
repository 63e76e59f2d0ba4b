"""Simulated candidates for the demo: who they are, how able, and how they answer.

Answers come from a response model, not from a script: each candidate has an ability
θ ~ N(0, 1) and answers an item correctly with the 2PL probability
P = 1 / (1 + exp(-a (θ - b))), a = 1.2, b the item's ``difficulty_prior``. Work samples are
chosen by the same probability from the package's reference, one of its known-wrong
mutants, or the untouched starter, so the real grading engine scores them unevenly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask
from assay.delivery.content import parse_diff
from assay.demo.answers import (
    CANDIDATE_NAMES,
    DESIGN_ANSWERS,
    EMAIL_DOMAINS,
    FALSE_POSITIVE_COMMENTS,
    REVIEW_COMMENTS,
)

DISCRIMINATION = 1.2
# A planted defect's difficulty is the task's, made easier or harder by how loud it is.
SEVERITY_OFFSET = {"critical": -0.8, "high": -0.4, "medium": 0.2, "low": 0.6}
# Where the forty candidates stand: most submitted, a few at each earlier step.
STAGE_COUNTS = (("invited", 4), ("opened", 3), ("started", 3), ("submitted", 30))
# Most leads answer the coding section in Python; some in Node.js or Java.
LANGUAGES = ("python", "node", "java")
LANGUAGE_WEIGHTS = (0.6, 0.25, 0.15)


class Stage(StrEnum):
    INVITED = "invited"
    OPENED = "opened"
    STARTED = "started"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class Persona:
    """One simulated candidate: identity, true ability, how far they got, their language."""

    name: str
    email: str
    ability: float
    stage: Stage
    language: str


def cast(rng: random.Random) -> list[Persona]:
    """Forty candidates in a shuffled, but repeatable, order of stages."""
    stages = [Stage(stage) for stage, count in STAGE_COUNTS for _ in range(count)]
    rng.shuffle(stages)
    personas = []
    for number, (name, stage) in enumerate(zip(CANDIDATE_NAMES, stages, strict=True)):
        first, *rest = name.lower().replace("'", "").split()
        local = f"{first}.{rest[-1]}" if rest else first
        personas.append(
            Persona(
                name=name,
                email=_ascii(local) + "@" + EMAIL_DOMAINS[number % len(EMAIL_DOMAINS)],
                ability=rng.gauss(0.0, 1.0),
                stage=stage,
                language=rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0],
            )
        )
    return personas


def _ascii(text: str) -> str:
    plain = text.translate(str.maketrans("éíóúáçñèöäüå", "eiouacneoaua"))
    return "".join(c for c in plain if c.isascii())


def p_correct(ability: float, difficulty: float) -> float:
    return 1.0 / (1.0 + math.exp(-DISCRIMINATION * (ability - difficulty)))


def answer_choice(item: ChoiceItem, ability: float, rng: random.Random) -> list[str]:
    """The keys when the candidate knows it; otherwise a distractor (or a partial set)."""
    keys = item.keys
    distractors = [o.id for o in item.options if not o.correct]
    if rng.random() < p_correct(ability, item.difficulty_prior):
        return sorted(keys)
    if item.mode == "single":
        return [rng.choice(distractors)]
    # A wrong multiple-response answer misses a key, adds a distractor, or both.
    chosen = set(keys)
    if len(chosen) > 1 and rng.random() < 0.6:
        chosen.discard(rng.choice(sorted(chosen)))
    if rng.random() < 0.7:
        chosen.add(rng.choice(distractors))
    return sorted(chosen)


def answer_work_sample(
    package: Any, *, language: str, difficulty: float, ability: float, rng: random.Random
) -> dict[str, Any]:
    """The reference if the candidate solves it, else a known mistake, rarely the bare starter.

    Only the files the candidate edits (the starter's) are sent, as the editor would.
    """
    starter: dict[str, str] = package.starter(language)
    roll = rng.random()
    success = p_correct(ability, difficulty)
    mutants: dict[str, dict[str, str]] = package.mutants(language)
    if roll < success:
        files = package.reference(language)
    elif mutants and roll < success + (1 - success) * 0.85:
        files = mutants[rng.choice(sorted(mutants))]
    else:
        files = starter
    return {
        "language": language,
        "files": {name: files.get(name, starter[name]) for name in starter},
    }


def answer_review(
    task: CodeReviewTask, package_dir: Path | None, ability: float, rng: random.Random
) -> dict[str, Any]:
    """Comments near the defects the candidate spots, plus a few on lines that are fine."""
    comments: list[dict[str, Any]] = []
    for defect in task.defects:
        difficulty = task.difficulty_prior + SEVERITY_OFFSET[defect.severity]
        if rng.random() < p_correct(ability, difficulty):
            comments.append(
                {
                    "file": defect.file,
                    "line": rng.randint(defect.lines[0], defect.lines[1]),
                    "text": _comment(defect.id, defect.category, rng),
                }
            )
    noise = max(0, round(rng.gauss(1.2 - 0.6 * ability, 0.8)))
    innocent = _innocent_lines(task, package_dir)
    for file, line in rng.sample(innocent, min(noise, len(innocent))):
        comments.append({"file": file, "line": line, "text": rng.choice(FALSE_POSITIVE_COMMENTS)})
    comments.sort(key=lambda c: (c["file"], c["line"]))
    return {"comments": comments}


def _comment(defect_id: str, category: str, rng: random.Random) -> str:
    """What a reviewer who spotted the defect writes: its gist, then why it matters."""
    gist = defect_id.replace("-", " ").capitalize()
    return f"{gist}? {rng.choice(REVIEW_COMMENTS[category]).capitalize()}"


def _innocent_lines(task: CodeReviewTask, package_dir: Path | None) -> list[tuple[str, int]]:
    """Added lines of the change that no planted defect is near."""
    if package_dir is None:
        return []
    margin = task.line_tolerance + 1
    lines = []
    for diff_file in parse_diff((package_dir / "change.diff").read_text()):
        for row in diff_file.lines:
            if row.kind != "add" or row.new is None:
                continue
            near = any(
                d.file == diff_file.path and d.lines[0] - margin <= row.new <= d.lines[1] + margin
                for d in task.defects
            )
            if not near:
                lines.append((diff_file.path, row.new))
    return lines


def design_quality(task: FreeTextTask, ability: float, rng: random.Random) -> int:
    """Which canned answer (0 = thin … last = strong) this candidate writes."""
    answers = DESIGN_ANSWERS.get(task.id, ())
    top = max(len(answers) - 1, 0)
    return min(
        top, max(0, round(1.5 + 1.1 * (ability - task.difficulty_prior) + rng.gauss(0, 0.5)))
    )


def design_answer(task: FreeTextTask, quality: int) -> str:
    answers = DESIGN_ANSWERS.get(task.id)
    if not answers:
        # A task without canned answers (the library grew): a short, honest, weak answer.
        return "I would start by clarifying the requirements and the expected load."
    return answers[quality]


def review_levels(task: FreeTextTask, quality: int, rng: random.Random) -> dict[str, int]:
    """A reviewer's rubric levels: near the answer's quality, criterion by criterion."""
    top_answer = max(len(DESIGN_ANSWERS.get(task.id, ())) - 1, 1)
    levels = {}
    for criterion in task.rubric:
        top = max(level.score for level in criterion.levels)
        centre = quality * top / top_answer
        levels[criterion.id] = min(top, max(0, round(centre + rng.choice((-1, 0, 0, 0, 1)))))
    return levels
