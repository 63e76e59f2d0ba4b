"""The skill taxonomy for job descriptions: terms from skill_terms.yaml compiled to matchers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from assay.content.skills import SKILL_IDS

TERMS_FILE = "skill_terms.yaml"

# Weak terms are generic wording ("architecture", "tests"): they count, but for less than a
# technology name or an exact phrase.
WEAK_STRENGTH = 0.6

# Separators that make a word part of a technology list: "Java, Go or C#", "Go/Python".
_LIST_BEFORE = re.compile(r"(?:[,/|(&+:]|\b(?:and|or|und|et|ou))\s*$")
_LIST_AFTER = re.compile(r"^\s*(?:[,/|)&+;]|$|\b(?:and|or|und|et|ou)\b)")
_DASH_BEFORE = re.compile(r"[–—\-:|]\s*$")

# "in Go", "with Go", "production Go": words after which Go can only be the language.
_GO_BEFORE = re.compile(
    r"\b(?:in|with|using|of|writing|written|production|idiomatic|modern|expert|strong|fluent|"
    r"proficient|proficiency|experience|knowledge|commercial|mit|en|avec)\s+$",
    re.IGNORECASE,
)
_GO_AFTER = re.compile(
    r"^\s*(?:\(golang\)|developers?|engineers?|programmers?|programming|code(?:base)?|services?|"
    r"microservices|back[\s-]?ends?|modules?|libraries|language|experience|skills|stack|"
    r"runtime|applications?|1\.\d+)\b",
    re.IGNORECASE,
)
_FRAMEWORK_AFTER = re.compile(
    r"^\s*(?:\.js|js|boot|framework|mvc|cloud|data|security|batch|webflux)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Term:
    """One way a job description can ask for a skill."""

    text: str
    skills: tuple[str, ...]
    pattern: re.Pattern[str]
    strength: float
    context: str | None = None
    veto_before: re.Pattern[str] | None = None
    veto_after: re.Pattern[str] | None = None
    veto_sentence: re.Pattern[str] | None = None

    @property
    def is_name(self) -> bool:
        """A technology name ("Kafka", "AWS"), as opposed to a concept ("cloud-based")."""
        return self.strength == 1.0 and re.search(r"[A-Z0-9]", self.text) is not None


@dataclass(frozen=True)
class TermHit:
    """A term found in a text, before section and negation rules are applied."""

    term: Term
    start: int
    end: int


def compile_term(text: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """Compile the small term language described at the top of skill_terms.yaml."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index : index + 2])
            index += 2
            continue
        if in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        elif char == " ":
            out.append(r"[\s\-‑–]+")
        elif char == "-":
            out.append(r"[\s\-‑–]?")
        elif char == "~":
            out.append(r"\w*")
        elif char == "/":
            out.append(r"\s*/\s*")
        elif char in "()|?{}+,*":
            out.append(char)
        else:
            out.append(re.escape(char))
        index += 1
    body = "".join(out)
    # Word boundaries that also work for terms starting or ending in punctuation (CI/CD, C#).
    prefix = r"(?<!\w)" if re.match(r"[\w(\[]", text) else ""
    suffix = r"(?!\w)" if re.search(r"[\w)~\]?s]$", text) else ""
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(f"{prefix}(?:{body}){suffix}", flags)


def _term_from_entry(skill: str, entry: str | dict[str, Any]) -> Term:
    spec: dict[str, Any] = {"term": entry} if isinstance(entry, str) else dict(entry)
    text = str(spec["term"])
    also = [str(s) for s in spec.get("also", [])]
    for skill_id in [skill, *also]:
        if skill_id not in SKILL_IDS:
            raise ValueError(f"{TERMS_FILE}: unknown skill id {skill_id!r} (term {text!r})")
    context = spec.get("context")
    if context is not None and context not in CONTEXT_RULES:
        raise ValueError(f"{TERMS_FILE}: unknown context rule {context!r} (term {text!r})")

    def optional(key: str, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
        return re.compile(spec[key], flags) if key in spec else None

    return Term(
        text=text,
        skills=(skill, *also),
        pattern=compile_term(text, case_sensitive=bool(spec.get("case", False))),
        strength=WEAK_STRENGTH if spec.get("weak") else 1.0,
        context=context,
        veto_before=optional("veto_before"),
        veto_after=optional("veto_after"),
        veto_sentence=optional("veto_sentence"),
    )


@lru_cache(maxsize=1)
def load_terms() -> tuple[Term, ...]:
    """Every term of the taxonomy, validated against the skill vocabulary."""
    raw = resources.files("assay.assessments").joinpath(TERMS_FILE).read_text(encoding="utf-8")
    document = yaml.safe_load(raw)
    skills: dict[str, list[str | dict[str, Any]]] = document["skills"]
    missing = set(SKILL_IDS) - set(skills)
    if missing:
        raise ValueError(f"{TERMS_FILE}: no terms for {sorted(missing)}")
    return tuple(
        _term_from_entry(skill, entry) for skill, entries in skills.items() for entry in entries
    )


def _go_language(text: str, start: int, end: int, line: str, line_start: int) -> bool:
    """Go the language, not the verb: "Go (Golang)", "in Go", "Go developer", "Java, Go"."""
    before = text[max(line_start, start - 40) : start]
    after = text[end : end + 40]
    if re.fullmatch(r"\s*(?:[-*•·–]\s*)?Go\s*[.,;]?\s*", line):
        return True
    if _GO_AFTER.match(after) or _GO_BEFORE.search(before):
        return True
    if _DASH_BEFORE.search(before) and re.match(r"^\s*(?:$|\n|[,/|)(])", after):
        return True
    return _in_tech_list(before, after, line)


def _in_tech_list(before: str, after: str, line: str) -> bool:
    """A list of technology names: separators on at least one side and another name nearby."""
    if not (_LIST_BEFORE.search(before) or _LIST_AFTER.match(after)):
        return False
    return any(True for _ in _names_in(line))


def _tech_list(text: str, start: int, end: int, line: str, line_start: int) -> bool:
    """An English word that is also a framework ("Spring", "Express") in a stack context."""
    after = text[end : end + 30]
    if _FRAMEWORK_AFTER.match(after):
        return True
    return _in_tech_list(text[max(line_start, start - 30) : start], after, line)


def _names_in(line: str) -> Iterator[str]:
    """Technology names in a line (terms written with a capital letter or a digit)."""
    for term in load_terms():
        if term.context is None and term.is_name:
            for match in term.pattern.finditer(line):
                yield match.group(0)


ContextRule = Callable[[str, int, int, str, int], bool]
CONTEXT_RULES: dict[str, ContextRule] = {"go_language": _go_language, "tech_list": _tech_list}


def find_terms(text: str, line_start: int, line_end: int) -> list[TermHit]:
    """Every term in one line of ``text`` that passes its context and veto rules."""
    line = text[line_start:line_end]
    hits: list[TermHit] = []
    for term in load_terms():
        for match in term.pattern.finditer(text, line_start, line_end):
            start, end = match.span()
            if term.veto_before and term.veto_before.search(
                text[max(line_start, start - 40) : start]
            ):
                continue
            if term.veto_after and term.veto_after.match(text[end:line_end]):
                continue
            if term.veto_sentence and term.veto_sentence.search(line):
                continue
            if term.context and not CONTEXT_RULES[term.context](text, start, end, line, line_start):
                continue
            hits.append(TermHit(term=term, start=start, end=end))
    return hits
