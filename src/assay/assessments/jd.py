"""Job-description analysis: a pasted posting in, a weighted skill profile with evidence out."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import Any

from assay.assessments.taxonomy import TermHit, find_terms

MAX_BYTES = 100_000
SENIORITIES = ("junior", "mid", "senior", "lead", "principal")


class Section(StrEnum):
    """Where a line sits in a posting; decides whether and how much its terms count."""

    TITLE = "title"
    INTRO = "intro"
    ROLE = "role"
    RESPONSIBILITIES = "responsibilities"
    REQUIREMENTS = "requirements"
    NICE_TO_HAVE = "nice_to_have"
    COMPANY = "company"
    BENEFITS = "benefits"
    EQUAL_OPPORTUNITY = "equal_opportunity"
    APPLICATION = "application"


# Text about the employer, perks, fairness statements and how to apply asks for no skill.
IGNORED_SECTIONS = frozenset(
    {Section.COMPANY, Section.BENEFITS, Section.EQUAL_OPPORTUNITY, Section.APPLICATION}
)
SECTION_FACTOR = {
    Section.TITLE: 2.0,
    Section.INTRO: 1.0,
    Section.ROLE: 1.0,
    Section.RESPONSIBILITIES: 1.0,
    Section.REQUIREMENTS: 1.0,
    Section.NICE_TO_HAVE: 0.35,
}
NICE_TO_HAVE_CAP = 0.5
PROMINENCE = 1.25

# Heading patterns, tried in order (nice-to-have before requirements: "Preferred qualifications").
_HEADINGS: tuple[tuple[Section, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (
            Section.NICE_TO_HAVE,
            r"nice[\s-]to[\s-]haves?|bonus|preferred|desirable|plus points?|good to have|"
            r"would be (nice|great|a plus)|a plus|extra credit|wünschenswert|von vorteil|"
            r"idealerweise|serait un plus|un plus|optional|ideally",
        ),
        (
            Section.EQUAL_OPPORTUNITY,
            r"equal (employment )?opportunit|diversity|inclusion|\beeo\b|accessibility statement",
        ),
        (
            Section.BENEFITS,
            r"benefits|perks|what we offer|we offer|our offer|why (join|work)|compensation|"
            r"salary|what'?s in it for you|rewards|wir bieten|unser angebot|avantages|"
            r"ce que nous (vous )?offrons|nous offrons",
        ),
        (
            Section.APPLICATION,
            r"how to apply|application process|interview process|hiring process|next steps|"
            r"bewerbung|candidature",
        ),
        (
            Section.COMPANY,
            r"^about (?!(the |this )?(team|role|job|position|opportunity|you\b))|who we are|"
            r"\bour (company|story|mission)|the company|company (overview|description)|über uns|"
            r"wer wir sind|qui sommes|à propos|l'entreprise|who are we",
        ),
        (
            Section.REQUIREMENTS,
            r"requirements?|qualifications|you('ll| will)? (need|bring|have)|to have|"
            r"must[\s-]haves?|"
            r"essential|skills|experience|profile|who you are|about you|looking for|"
            r"you should|great fit|what we need|profil|mitbringst|anforderungen|"
            r"was wir erwarten|compétences|you bring|you have",
        ),
        (
            Section.RESPONSIBILITIES,
            r"responsibilit|you('ll| will)\b|you('ll| will) (do|be doing|work on)|duties|tasks|"
            r"missions?|the role|your role|the job|in this role|day[\s-]to[\s-]day|"
            r"aufgaben|erwartet|what you'?ll|the opportunity|the position|about the (team|role)|"
            r"the team|your team|stack|technolog",
        ),
    )
)
_BULLET = re.compile(r"^[ \t]*(?:[-*•·◦▪○–—+]|\d{1,2}[.)]|\(?[a-z]\)|[►▸■●◆✓✔→★☆]+)?[ \t]*")
_IS_BULLET = re.compile(r"^[ \t]*(?:[-*•·◦▪○–—+]|\d{1,2}[.)]|\(?[a-z]\))[ \t]+")
_DECORATION = re.compile(r"^[\s#*_=►▸■●◆✓✔→★☆>]+|[\s#*_=►▸■●◆✓✔→★☆:?]+$")
_INLINE_LABEL = re.compile(r"^([A-Za-zÀ-ÿ'’ /&-]{2,40}?)\s*:\s*(\S.*)$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(À-Ý])|;\s*")

_EQUAL_OPPORTUNITY = re.compile(
    r"equal (employment )?opportunit|discriminat|regardless of|without regard to|diversity|"
    r"inclusive (environment|workplace|team culture)|chancengleich|\bEEO\b|kept confidential",
    re.IGNORECASE,
)
_PERKS = re.compile(
    r"^(we offer|perks|our benefits|benefits include|you('ll| will) get|in return)|great "
    r"(team )?culture|we use slack|private health|pension|holiday|paid leave|annual leave|"
    r"\bequity\b|stock options|share options|401\(k\)",
    re.IGNORECASE,
)
_APPLY = re.compile(
    r"^(please )?apply\b|send (us )?your (cv|resume)|get in touch|\binterviews? (are|is) "
    r"happening|acting as an employment agency|can only reply",
    re.IGNORECASE,
)
_COMPANY_SENTENCE = re.compile(
    r"\b(we are|we're) (a|an|the|one of)\b|\bfounded\b|\bheadquartered\b|\bsince \d{4}\b|"
    r"\bfor more than \d+ years\b|\bpresence in\b|\btrusted by\b|\bgegründet\b|\bfondée\b|"
    r"\bseit \d{4}\b|\b(is|are) (one of )?(the |a |an )?(world'?s |europe'?s )?(leading|largest|"
    r"fast[\s-]growing|global|market[\s-]leading|well[\s-]established|leader)\b|"
    r"\bour\s+(?:[\w-]+\s+){0,3}(platform|products?|software|solutions?|customers|clients|"
    r"mission|organi[sz]ation|company)\b|\bunsere\s+(?:[\w-]+\s+){0,2}(cloud-)?plattform\b|"
    r"\bnotre plateforme\b",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(
    r"\b(no|not(?! only| just)|without|never|don'?t|do not|doesn'?t|does not|isn'?t|aren'?t|"
    r"needn'?t|neither|nor|kein\w*|nicht|sans|pas de|aucune?)\b[^.;:!?]*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^[^.;:!?\n]{0,50}?\b((is|are)\s+not|isn'?t|aren'?t|not)\s+(required|needed|necessary|"
    r"essential|mandatory|expected|a must|a requirement)\b|"
    r"^[^.;:!?\n]{0,50}?\bnicht (erforderlich|notwendig)",
    re.IGNORECASE,
)
_NICE_CUE = re.compile(
    r"nice[\s-]to[\s-]have|\b(a|an)\s+(\w+\s+)?(plus|advantage|asset)\b|advantageous|\bbonus\b|"
    r"\bpreferred\b|"
    r"\bpreferably\b|\bdesirable\b|\bideally\b|would be (great|nice|helpful|a plus)|"
    r"good to have|not (required|essential)|serait un plus|\bun plus\b|\bun atout\b|"
    r"wünschenswert|von vorteil|idealerweise|\boptional\b|is nice to have",
    re.IGNORECASE,
)

_TITLE_FIELD = re.compile(
    r"^[ \t*_#]*(?:job title|title|position|role|stelle|poste|intitulé du poste)[ \t*_]*:"
    r"[ \t*_]*(\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_ROLE_PHRASE = re.compile(
    r"((?:(?:[A-Z][\w.#+/&‑-]*|\.NET|iOS)\s+){0,4}(?:Engineer|Developer|Architect|Manager|"
    r"Programmer|Scientist|Analyst|Writer|Designer|Administrator|Consultant|Specialist|Lead|SRE|"
    r"Entwickler|Développeur|Ingénieur)s?)\b"
)
_TITLE_NOISE = re.compile(
    r"^(?:[\W_]*\b(?:urgent|hiring|now hiring|we'?re hiring|new)\b)?[\W_]*", re.IGNORECASE
)

_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        ("principal", r"\b(principal|staff|distinguished|fellow|architect)\b"),
        (
            "lead",
            r"\b(lead|leader|head of|engineering manager|manager,? (engineering|software|"
            r"development|platform)|director|leiter\w*|chef d'équipe)\b",
        ),
        ("senior", r"\b(senior|sr\.?|confirmée?|expérimentée?|experienced)\b"),
        (
            "junior",
            r"\b(junior|jr\.?|graduate|intern|internship|entry[\s-]level|trainee|apprentice|"
            r"werkstudent\w*|praktikant\w*|stagiaire|débutante?)\b",
        ),
        ("mid", r"\b(mid[\s-]level|intermediate|mid)\b"),
    )
)
_LEVEL_FIELD = re.compile(r"\b(?:level|seniority)\s*:\s*([^\n·|,]+)", re.IGNORECASE)
_YEARS = re.compile(
    r"(?:(?:at least|minimum( of)?|mindestens|au moins)\s+)?(\d{1,2})\s*\+?\s*"
    r"(?:[-–]\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs?|jahre|ans)\b",
    re.IGNORECASE,
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP_WORDS = {
    "English": _word_set(
        "the and to of a in you we for with our is are will be on as your or an at this that "
        "have from by who what it us can their all about they"
    ),
    "German": _word_set(
        "der die das und zu mit für ist wir du sie ein eine in von auf im den dem des bei "
        "uns dein deine unsere als auch oder nicht"
    ),
    "French": _word_set(
        "le la les et de des du un une pour avec en vous nous est au aux sur dans votre notre "
        "qui que par ou sont"
    ),
}


@dataclass(frozen=True)
class Evidence:
    """A span of the analysed text that shows the posting asks for a skill."""

    start: int
    end: int
    text: str
    section: Section
    nice_to_have: bool
    strength: float

    def to_dict(self, source: SourceMap | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "section": self.section.value,
        }
        if source is not None:
            data["source_start"], data["source_end"] = source.span(self.start, self.end)
        return data


@dataclass(frozen=True)
class SkillMatch:
    """One skill the posting asks for, its weight in 0..1 and the spans that show it."""

    id: str
    weight: float
    nice_to_have_only: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class SourceMap:
    """Where each character of text cleaned from HTML came from in the original input."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


@dataclass
class JobProfile:
    """The analysis of one job description."""

    title: str | None
    seniority: str
    seniority_source: str
    skills: list[SkillMatch]
    messages: list[str]
    text: str
    language: str
    years_of_experience: int | None = None
    source: SourceMap | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``assay jd analyze --json``."""
        return {
            "title": self.title,
            "seniority": self.seniority,
            "skills": [
                {
                    "id": skill.id,
                    "weight": skill.weight,
                    "nice_to_have_only": skill.nice_to_have_only,
                    "evidence": [e.to_dict(self.source) for e in skill.evidence],
                }
                for skill in self.skills
            ],
            "messages": self.messages,
            "seniority_source": self.seniority_source,
            "years_of_experience": self.years_of_experience,
            "language": self.language,
            "text": self.text,
            "text_is_original": self.source is None,
        }


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    body_start: int
    is_bullet: bool

    def body(self, text: str) -> str:
        return text[self.body_start : self.end]


# ---------------------------------------------------------------------------------------------
# Input: bytes to text, size limit, HTML


def decode_job_description(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes: UTF-8 if valid, else Windows-1252 with replacement, saying so."""
    messages: list[str] = []
    if b"\x00" in data[:4096]:
        messages.append("Input looks like a binary file (PDF or Word?); paste the text instead.")
        return data.decode("utf-8", errors="replace"), messages
    try:
        return data.decode("utf-8-sig"), messages
    except UnicodeDecodeError:
        # Most non-UTF-8 postings come from Windows tools; cp1252 reads them (and Latin-1) right.
        messages.append(
            "Text was not valid UTF-8; it was decoded as Windows-1252 and undecodable bytes "
            "were replaced."
        )
        return data.decode("cp1252", errors="replace"), messages


def _truncate(text: str, messages: list[str]) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_BYTES:
        return text
    messages.append(f"Text truncated at {MAX_BYTES // 1000} kB.")
    return encoded[:MAX_BYTES].decode("utf-8", errors="ignore")


_HTML_TAG = re.compile(
    r"<(/?)(p|div|br|li|ul|ol|h[1-6]|span|strong|b|em|i|u|a|table|tr|td|th|section|article|"
    r"header|footer|hr|body|html|head|font|blockquote|pre|code|small|sup|sub|img)\b[^<>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|table|tr|section|article|header|footer|hr|blockquote|pre)\b",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Two or more common HTML tags: a posting copied from a job board's page source."""
    return len(_HTML_TAG.findall(text[:20_000])) >= 2


def strip_html(text: str) -> tuple[str, SourceMap]:
    """Remove tags and decode entities, remembering each character's span in the original."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(chars: str, start: int, end: int) -> None:
        for char in chars:
            out.append(char)
            starts.append(start)
            ends.append(end)

    position = 0
    for tag in _ANY_TAG.finditer(text):
        _emit_text(text, position, tag.start(), emit)
        if _BLOCK_TAG.match(tag.group(0)):
            # A block boundary becomes a line break, a list item a bullet, so sections survive.
            emit("\n", tag.start(), tag.end())
            if re.match(r"<li\b", tag.group(0), re.IGNORECASE):
                emit("- ", tag.start(), tag.end())
        position = tag.end()
    _emit_text(text, position, len(text), emit)
    # Markup leaves indentation and runs of blank lines behind: drop them, keeping maps aligned.
    kept: list[int] = []
    for index, char in enumerate(out):
        last = out[kept[-1]] if kept else "\n"
        if char in " \t" and last == "\n":
            continue
        if char == "\n" and (not kept or (len(kept) >= 2 and out[kept[-2]] == "\n" == last)):
            continue
        kept.append(index)
    return "".join(out[i] for i in kept), SourceMap(
        starts=tuple(starts[i] for i in kept), ends=tuple(ends[i] for i in kept)
    )


def _emit_text(text: str, start: int, end: int, emit: Any) -> None:
    position = start
    for entity in _ENTITY.finditer(text, start, end):
        for index in range(position, entity.start()):
            emit(text[index], index, index + 1)
        decoded = html.unescape(entity.group(0)).replace("\u00a0", " ")
        emit(decoded, entity.start(), entity.end())
        position = entity.end()
    for index in range(position, end):
        emit(text[index], index, index + 1)


# ---------------------------------------------------------------------------------------------
# Structure: lines, title, sections


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for raw in text.split("\n"):
        content = raw.rstrip("\r")
        body = _BULLET.match(content)
        body_start = start + (body.end() if body else 0)
        lines.append(
            _Line(start, start + len(content), body_start, bool(_IS_BULLET.match(content)))
        )
        start += len(raw) + 1
    return lines


def _heading_text(line: str) -> str:
    core = _DECORATION.sub("", _BULLET.sub("", line, count=1)).strip()
    return core.replace("’", "'")


def _classify_heading(core: str) -> Section | None:
    for section, pattern in _HEADINGS:
        if pattern.search(core):
            return section
    return None


def _is_heading(text: str, line: _Line, previous_blank: bool, next_line: _Line | None) -> bool:
    """A short line that introduces what follows: marked up, known wording, or standing alone."""
    raw = text[line.start : line.end]
    stripped = raw.strip()
    core = _heading_text(raw)
    words = core.split()
    could_be = (
        0 < len(words) <= 9
        and len(core) <= 80
        and not line.is_bullet
        # "Must have: AWS, Docker" labels its own content; see _collect.
        and not _INLINE_LABEL.match(core.replace("**", ""))
        and not (stripped.endswith((".", ",")) and not stripped.endswith("..."))
    )
    if not could_be:
        return False
    if stripped.startswith("#") or stripped.rstrip("*_ ").endswith((":", "?")):
        return True
    # "Programming skills in Go or Python" is a requirement, not a heading.
    return not find_terms(text, line.body_start, line.end) and (
        stripped.startswith(("**", "__", "▸", "►", "■"))
        or stripped.isupper()
        or (_classify_heading(core) is not None and len(words) <= 6)
        or (previous_blank and next_line is not None and len(words) <= 4 and core[:1].isupper())
    )


def _find_title(text: str, lines: list[_Line]) -> tuple[str | None, int | None]:
    """The job title and the index of the line it was taken from (None if found in prose)."""
    field_match = _TITLE_FIELD.search(text[:3000])
    if field_match:
        return _clean_title(field_match.group(1)), None
    for index, line in enumerate(lines):
        raw = text[line.start : line.end]
        if not raw.strip():
            continue
        core = _clean_title(raw)
        section = _classify_heading(core)
        # A bare stack list ("Python, Kafka, Postgres") is not a title; a role noun makes one.
        looks_like_title = (
            len(core.split()) <= 14
            and len(core) <= 120
            and not raw.rstrip().endswith(".")
            and (_ROLE_PHRASE.search(core) is not None or core.count(",") < 2)
        )
        if looks_like_title and (section is None or _ROLE_PHRASE.search(core)) and core:
            return core, index
        break
    phrase = _ROLE_PHRASE.search(text[:800])
    if phrase:
        return _singular(phrase.group(1).strip()), None
    return None, None


def _clean_title(raw: str) -> str:
    title = _TITLE_NOISE.sub("", raw.strip())
    title = _DECORATION.sub("", title).strip(" *_#")
    return re.sub(r"\s+", " ", title)


def _singular(title: str) -> str:
    return re.sub(r"(er|or|ect|ist|ant)s$", r"\1", title)


# ---------------------------------------------------------------------------------------------
# Skills


@dataclass(frozen=True)
class _Unit:
    """A sentence or clause: the scope of negation, nice-to-have cues and boilerplate."""

    start: int
    end: int


def _units(text: str, line: _Line) -> list[_Unit]:
    units: list[_Unit] = []
    position = line.body_start
    for boundary in _SENTENCE_SPLIT.finditer(text, line.body_start, line.end):
        units.append(_Unit(position, boundary.start()))
        position = boundary.end()
    units.append(_Unit(position, line.end))
    return units


def _unit_section(text: str, unit: _Unit, section: Section) -> Section:
    sentence = text[unit.start : unit.end]
    if _EQUAL_OPPORTUNITY.search(sentence):
        return Section.EQUAL_OPPORTUNITY
    if _APPLY.search(sentence.strip()):
        return Section.APPLICATION
    if _PERKS.search(sentence.strip()):
        return Section.BENEFITS
    in_role_lists = section in (
        Section.RESPONSIBILITIES,
        Section.REQUIREMENTS,
        Section.NICE_TO_HAVE,
    )
    if not in_role_lists and _COMPANY_SENTENCE.search(sentence) and "you" not in sentence.lower():
        return Section.COMPANY
    if section is not Section.TITLE and _NICE_CUE.search(sentence):
        return Section.NICE_TO_HAVE
    return section


def _is_negated(text: str, hit: TermHit, unit: _Unit) -> bool:
    before = text[max(unit.start, hit.start - 60) : hit.start]
    if _NEGATION_BEFORE.search(before):
        return True
    return bool(_NEGATION_AFTER.match(text[hit.end : unit.end]))


def _line_evidence(text: str, line: _Line, section: Section) -> dict[str, list[Evidence]]:
    """Evidence per skill in one line, after boilerplate, negation and nice-to-have rules."""
    units = _units(text, line)
    found: dict[str, list[Evidence]] = defaultdict(list)
    negated: set[str] = set()
    for hit in find_terms(text, line.body_start, line.end):
        unit = next((u for u in units if u.start <= hit.start < max(u.end, u.start + 1)), None)
        if unit is None:
            continue
        unit_section = _unit_section(text, unit, section)
        if unit_section is Section.COMPANY and section is not Section.COMPANY:
            # A sentence about the employer in running text: its technology names still tell
            # the stack ("We're a Python shop on AWS"), its concepts do not ("cloud-based").
            if not hit.term.is_name:
                continue
            unit_section = section
        if unit_section in IGNORED_SECTIONS:
            continue
        if _is_negated(text, hit, unit):
            negated.update(hit.term.skills)
            continue
        for skill in hit.term.skills:
            found[skill].append(
                Evidence(
                    start=hit.start,
                    end=hit.end,
                    text=text[hit.start : hit.end],
                    section=unit_section,
                    nice_to_have=unit_section is Section.NICE_TO_HAVE,
                    strength=hit.term.strength,
                )
            )
    # "No Java experience needed: we are moving the last Java service to Python" asks for no
    # Java at all: a negated skill is dropped from the whole line.
    return {skill: ev for skill, ev in found.items() if skill not in negated}


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    """Keep the longest of overlapping spans ("CI/CD pipelines" over "CI")."""
    kept: list[Evidence] = []
    for item in sorted(evidence, key=lambda e: (e.start, -(e.end - e.start))):
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def _score(evidence: list[Evidence], prominent_end: int) -> float:
    scores = sorted(
        (
            e.strength
            * SECTION_FACTOR[e.section]
            # The opening lines say what the job is about; a mention there counts a bit more.
            * (PROMINENCE if e.start < prominent_end and e.section is not Section.TITLE else 1)
            for e in evidence
        ),
        reverse=True,
    )
    # Diminishing returns: the tenth mention of Python says less than the second.
    return sum(score / (rank + 1) for rank, score in enumerate(scores))


def _weigh(found: dict[str, list[Evidence]], prominent_end: int = 0) -> list[SkillMatch]:
    scored = {skill: _score(ev, prominent_end) for skill, ev in found.items() if ev}
    if not scored:
        return []
    top = max(scored.values())
    matches: list[SkillMatch] = []
    for skill, raw in scored.items():
        evidence = found[skill]
        nice_only = all(e.nice_to_have for e in evidence)
        weight = raw / top
        if nice_only:
            weight = min(weight, NICE_TO_HAVE_CAP)
        matches.append(SkillMatch(skill, round(weight, 2), nice_only, tuple(evidence)))
    return sorted(matches, key=lambda m: (-m.weight, m.id))


# ---------------------------------------------------------------------------------------------
# Seniority and language


def _seniority(text: str, title: str | None) -> tuple[str, str, int | None]:
    years = _years_of_experience(text)
    if title:
        for level, pattern in _LEVELS:
            if pattern.search(title):
                return level, "title", years
    field_match = _LEVEL_FIELD.search(text[:2000])
    if field_match:
        for level, pattern in _LEVELS:
            if pattern.search(field_match.group(1)):
                return level, "level field", years
    role = re.search(
        r"\b(?:as|hiring|for) an? ((?:staff|principal|lead|senior|junior)\b)", text[:1500], re.I
    )
    if role:
        for level, pattern in _LEVELS:
            if pattern.search(role.group(1)):
                return level, "text", years
    if years is not None:
        level = "junior" if years < 2 else "mid" if years < 5 else "senior"
        return level, "years of experience", years
    return "mid", "default", years


def _years_of_experience(text: str) -> int | None:
    values = [int(m.group(2)) for m in _YEARS.finditer(text) if 0 < int(m.group(2)) <= 30]
    return max(values) if values else None


def _language(text: str) -> tuple[str, int]:
    words = re.findall(r"[a-zà-ÿß]+", text.lower())
    counts = {name: sum(1 for w in words if w in stop) for name, stop in _STOP_WORDS.items()}
    best = max(counts, key=lambda name: counts[name])
    return (best if counts[best] > 0 else "unknown"), len(words)


# ---------------------------------------------------------------------------------------------
# Entry points


def analyze_bytes(data: bytes) -> JobProfile:
    """Analyse a job description read from a file or an upload."""
    text, messages = decode_job_description(data)
    return analyze(text, messages=messages)


def analyze(original: str, *, messages: list[str] | None = None) -> JobProfile:
    """Analyse a job description; never raises for odd input, explains it in ``messages``."""
    notes = list(messages or [])
    text = _truncate(original, notes)
    source: SourceMap | None = None
    if looks_like_html(text):
        text, source = strip_html(text)
        notes.append(
            "Text was HTML; tags were stripped and entities decoded. Evidence offsets point into "
            "the returned text (source_start/source_end into the original)."
        )
    if not text.strip():
        notes.append("The job description is empty.")
        return JobProfile(None, "mid", "default", [], notes, text, "unknown", None, source)

    language, word_count = _language(text)
    if language not in ("English", "unknown") and word_count >= 20:
        notes.append(
            f"Text looks non-English ({language}); technology names were matched, but "
            "descriptions of skills in that language may be missed."
        )
    lines = _split_lines(text)
    title, title_index = _find_title(text, lines)
    found = _collect(text, lines, title_index)
    opening = [line for line in lines if line.end > line.start][:4]
    prominent_end = opening[-1].end if opening else 0
    skills = _weigh({skill: _dedupe(ev) for skill, ev in found.items()}, prominent_end)
    if not skills:
        notes.append("No technical skills found.")
    seniority, seniority_source, years = _seniority(text, title)
    if seniority_source == "default":
        notes.append("No seniority stated (title or years of experience); assumed mid.")
    return JobProfile(
        title, seniority, seniority_source, skills, notes, text, language, years, source
    )


def _collect(text: str, lines: list[_Line], title_index: int | None) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = defaultdict(list)
    section = Section.INTRO
    previous_blank = True
    for index, line in enumerate(lines):
        raw = text[line.start : line.end]
        if not raw.strip():
            previous_blank = True
            continue
        line_section = section
        next_line = next((n for n in islice(lines, index + 1, None) if n.end > n.start), None)
        if index == title_index:
            line_section = Section.TITLE
        elif _is_heading(text, line, previous_blank, next_line):
            section = _classify_heading(_heading_text(raw)) or Section.ROLE
            previous_blank = False
            if section is not Section.RESPONSIBILITIES or not re.search(
                r"stack|technolog", raw, re.I
            ):
                continue
            line_section = section
        else:
            label = _INLINE_LABEL.match(_heading_text(raw))
            if label and len(label.group(1).split()) <= 4:
                labelled = _classify_heading(label.group(1))
                if labelled is not None:
                    line_section = labelled
        previous_blank = False
        if line_section in IGNORED_SECTIONS:
            continue
        for skill, evidence in _line_evidence(text, line, line_section).items():
            found[skill].extend(evidence)
    return found
