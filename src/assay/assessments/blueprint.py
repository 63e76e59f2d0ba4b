"""Blueprints: a skill profile and a seniority become timed sections of item specifications.

Pure functions over plain data. A blueprint says what an assessment measures and how long each
part takes; it knows nothing of the library (assembly checks the library can meet it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assay.assessments.index import CODING_LANGUAGES
from assay.assessments.jd import SENIORITIES
from assay.content.schemas import DIFFICULTIES
from assay.content.skills import SKILL_IDS, get_skill


class SectionKind(StrEnum):
    KNOWLEDGE = "knowledge"
    CODING = "coding"
    SQL = "sql"
    CODE_REVIEW = "code_review"
    DESIGN = "design"


SECTION_ORDER = tuple(SectionKind)
SECTION_TITLES = {
    SectionKind.KNOWLEDGE: "Knowledge",
    SectionKind.CODING: "Coding",
    SectionKind.SQL: "SQL",
    SectionKind.CODE_REVIEW: "Code review",
    SectionKind.DESIGN: "Design",
}
# The content type each section draws from (docs/content-format.md).
SECTION_CONTENT = {
    SectionKind.KNOWLEDGE: "choice",
    SectionKind.CODING: "coding",
    SectionKind.SQL: "sql",
    SectionKind.CODE_REVIEW: "code_review",
    SectionKind.DESIGN: "free_text",
}
# The skill a work-sample section is there to measure.
SECTION_SKILL = {
    SectionKind.CODING: "coding",
    SectionKind.SQL: "sql",
    SectionKind.CODE_REVIEW: "leadership",
    SectionKind.DESIGN: "system-design",
}
# Relative share of the total time when a section is present; at 90 minutes with all five
# sections this gives 18 / 22 / 14 / 18 / 18, close to the library's expected task times.
SECTION_SHARE = {
    SectionKind.KNOWLEDGE: 18,
    SectionKind.CODING: 22,
    SectionKind.SQL: 14,
    SectionKind.CODE_REVIEW: 18,
    SectionKind.DESIGN: 18,
}
# The library's choice items average about 108 s; 105 s per item keeps a section finishable.
KNOWLEDGE_ITEM_SECONDS = 105
MIN_SECTION_MINUTES = 5
MIN_TOTAL_MINUTES = 10
MAX_TOTAL_MINUTES = 240
DEFAULT_MINUTES = {"junior": 60, "mid": 75, "senior": 90, "lead": 90, "principal": 90}
# Share of knowledge items at each difficulty, by seniority.
DIFFICULTY_MIX: dict[str, dict[str, float]] = {
    "junior": {"easy": 0.5, "medium": 0.5},
    "mid": {"easy": 0.25, "medium": 0.5, "hard": 0.25},
    "senior": {"medium": 0.5, "hard": 0.5},
    "lead": {"medium": 0.4, "hard": 0.6},
    "principal": {"medium": 0.3, "hard": 0.7},
}
# One work sample per section, at any of these difficulties.
WORK_SAMPLE_DIFFICULTIES: dict[str, tuple[str, ...]] = {
    "junior": ("easy", "medium"),
    "mid": ("medium",),
    "senior": ("medium", "hard"),
    "lead": ("medium", "hard"),
    "principal": ("medium", "hard"),
}
LANGUAGE_SKILLS = {"python": "python", "nodejs": "node", "java": "java"}
LANGUAGE_TITLES = {"python": "Python", "node": "Node.js", "java": "Java"}
MIN_WEIGHT = 0.15  # weaker mentions are incidental: not measured
WORK_SAMPLE_WEIGHT = 0.3  # a skill this strong earns its work-sample section
COVERED_DISCOUNT = 0.25  # a skill a work sample measures needs fewer knowledge items
MAX_ITEMS_PER_SKILL = 3


class BlueprintError(ValueError):
    """A profile or an adjustment that no blueprint can be built from; says why."""


@dataclass(frozen=True)
class SkillProfile:
    """What a role asks for: skill id -> weight in 0..1, and a seniority."""

    weights: Mapping[str, float]
    seniority: str

    def active(self) -> dict[str, float]:
        return {s: w for s, w in self.weights.items() if w >= MIN_WEIGHT}


@dataclass(frozen=True)
class ItemSpec:
    """``count`` items measuring ``skill`` at one of ``difficulties``."""

    skill: str
    difficulties: tuple[str, ...]
    count: int

    def describe(self) -> str:
        return f"{self.count} {' or '.join(self.difficulties)} {get_skill(self.skill).title}"

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "difficulties": list(self.difficulties), "count": self.count}


@dataclass(frozen=True)
class SectionPlan:
    """One timed section: what kind of items, how many of which skills and difficulties."""

    kind: SectionKind
    minutes: int
    specs: tuple[ItemSpec, ...]

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.kind]

    @property
    def content_type(self) -> str:
        return SECTION_CONTENT[self.kind]

    @property
    def item_count(self) -> int:
        return sum(spec.count for spec in self.specs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "minutes": self.minutes,
            "specs": [spec.to_dict() for spec in self.specs],
        }


@dataclass(frozen=True)
class Blueprint:
    """Sections in order, the coding languages a candidate may choose, and the seniority."""

    sections: tuple[SectionPlan, ...]
    languages: tuple[str, ...]
    seniority: str
    notes: tuple[str, ...] = field(default=())

    @property
    def total_minutes(self) -> int:
        return sum(section.minutes for section in self.sections)

    def section(self, kind: SectionKind) -> SectionPlan | None:
        return next((s for s in self.sections if s.kind is kind), None)

    def measured_skills(self) -> set[str]:
        """Every skill some section is built to measure (coding languages included)."""
        skills = {spec.skill for section in self.sections for spec in section.specs}
        if self.section(SectionKind.CODING) is not None:
            skills |= {s for s, lang in LANGUAGE_SKILLS.items() if lang in self.languages}
        return skills


def section_from_dict(data: Mapping[str, Any]) -> SectionPlan:
    return SectionPlan(
        kind=SectionKind(data["kind"]),
        minutes=int(data["minutes"]),
        specs=tuple(
            ItemSpec(str(s["skill"]), tuple(s["difficulties"]), int(s["count"]))
            for s in data["specs"]
        ),
    )


def check_profile(profile: SkillProfile) -> None:
    if profile.seniority not in SENIORITIES:
        raise BlueprintError(
            f"Unknown seniority '{profile.seniority}'; use one of {', '.join(SENIORITIES)}."
        )
    for skill, weight in profile.weights.items():
        if skill not in SKILL_IDS:
            raise BlueprintError(f"Unknown skill '{skill}'.")
        if not 0 <= weight <= 1:
            raise BlueprintError(f"The weight of {skill} must be between 0 and 1.")
    if not profile.active():
        raise BlueprintError(
            f"The skill profile is empty: add at least one skill with a weight of {MIN_WEIGHT} "
            "or more."
        )


def check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    unknown = [lang for lang in languages if lang not in CODING_LANGUAGES]
    if unknown:
        raise BlueprintError(
            f"Unknown coding language {unknown[0]!r}; choose from {', '.join(CODING_LANGUAGES)}."
        )
    chosen = tuple(lang for lang in CODING_LANGUAGES if lang in languages)
    if not chosen:
        raise BlueprintError("Allow at least one language for the coding tasks.")
    return chosen


def build_blueprint(
    profile: SkillProfile,
    *,
    total_minutes: int | None = None,
    languages: Sequence[str] | None = None,
    section_minutes: Mapping[SectionKind, int] | None = None,
) -> Blueprint:
    """The blueprint of a profile: which sections, how long, and which items in each."""
    check_profile(profile)
    active = profile.active()
    kinds = _sections_for(active, profile.seniority)
    total = total_minutes if total_minutes is not None else DEFAULT_MINUTES[profile.seniority]
    if not MIN_TOTAL_MINUTES <= total <= MAX_TOTAL_MINUTES:
        raise BlueprintError(
            f"The total time must be between {MIN_TOTAL_MINUTES} and {MAX_TOTAL_MINUTES} minutes."
        )
    if total < MIN_SECTION_MINUTES * len(kinds):
        raise BlueprintError(
            f"{total} minutes is too short for {len(kinds)} sections; allow at least "
            f"{MIN_SECTION_MINUTES * len(kinds)}."
        )
    minutes = _split_minutes(total, kinds)
    for kind, value in (section_minutes or {}).items():
        if kind not in minutes:
            raise BlueprintError(f"This blueprint has no {SECTION_TITLES[kind]} section.")
        if not MIN_SECTION_MINUTES <= value <= MAX_TOTAL_MINUTES:
            raise BlueprintError(
                f"A section takes between {MIN_SECTION_MINUTES} and {MAX_TOTAL_MINUTES} minutes."
            )
        minutes[kind] = value
    if languages is not None:
        chosen = check_languages(languages)
    else:
        chosen = (
            tuple(lang for skill, lang in LANGUAGE_SKILLS.items() if skill in active)
            or CODING_LANGUAGES
        )
        chosen = tuple(lang for lang in CODING_LANGUAGES if lang in chosen)
    sections = []
    for kind in kinds:
        if kind is SectionKind.KNOWLEDGE:
            specs = _knowledge_specs(active, profile.seniority, minutes[kind], kinds)
        else:
            specs = (ItemSpec(SECTION_SKILL[kind], WORK_SAMPLE_DIFFICULTIES[profile.seniority], 1),)
        sections.append(SectionPlan(kind, minutes[kind], specs))
    notes = []
    if "go" in active:
        notes.append(
            "Go is measured by knowledge items only: coding tasks run in Python, Node.js or Java."
        )
    return Blueprint(tuple(sections), chosen, profile.seniority, tuple(notes))


def _sections_for(active: Mapping[str, float], seniority: str) -> list[SectionKind]:
    def strong(*skills: str) -> bool:
        return any(active.get(skill, 0) >= WORK_SAMPLE_WEIGHT for skill in skills)

    senior = seniority in ("senior", "lead", "principal")
    wanted = {
        SectionKind.KNOWLEDGE: True,
        SectionKind.CODING: strong("coding", "python", "nodejs", "java", "go"),
        SectionKind.SQL: strong("sql"),
        SectionKind.CODE_REVIEW: strong("leadership") or (senior and strong("coding")),
        SectionKind.DESIGN: strong("system-design")
        or (seniority in ("lead", "principal") and strong("coding")),
    }
    return [kind for kind in SECTION_ORDER if wanted[kind]]


def _largest_remainder(total: int, shares: Mapping[Any, float]) -> dict[Any, int]:
    """Split ``total`` in proportion to ``shares`` into integers that add up to it exactly."""
    whole = sum(shares.values())
    exact = {key: total * share / whole for key, share in shares.items()}
    result = {key: int(value) for key, value in exact.items()}
    leftover = total - sum(result.values())
    for key in sorted(exact, key=lambda k: (result[k] - exact[k], str(k)))[:leftover]:
        result[key] += 1
    return result


def _split_minutes(total: int, kinds: Sequence[SectionKind]) -> dict[SectionKind, int]:
    minutes = _largest_remainder(total, {kind: SECTION_SHARE[kind] for kind in kinds})
    return {kind: max(MIN_SECTION_MINUTES, minutes[kind]) for kind in kinds}


def _knowledge_specs(
    active: Mapping[str, float], seniority: str, minutes: int, kinds: Sequence[SectionKind]
) -> tuple[ItemSpec, ...]:
    count = max(1, minutes * 60 // KNOWLEDGE_ITEM_SECONDS)
    covered = {SECTION_SKILL[kind] for kind in kinds if kind in SECTION_SKILL}
    if SectionKind.CODING in kinds:
        covered |= set(LANGUAGE_SKILLS)
    score = {s: w * (COVERED_DISCOUNT if s in covered else 1.0) for s, w in active.items()}
    ranked = sorted(score, key=lambda s: (-score[s], s))
    # Breadth first: every skill gets an item before any gets a second.
    slots = ranked[:count]
    extra = count - len(slots)
    if extra > 0:
        more = _largest_remainder(extra, {s: score[s] for s in ranked})
        for skill in ranked:
            slots += [skill] * min(more[skill], MAX_ITEMS_PER_SKILL - 1)
        slots += ranked[: count - len(slots)]  # caps left some over: spread them again
    mix = _largest_remainder(len(slots), DIFFICULTY_MIX[seniority])
    sequence = [d for d in reversed(DIFFICULTIES) for _ in range(mix.get(d, 0))]
    counts: dict[tuple[str, str], int] = {}
    for skill, difficulty in zip(slots, sequence, strict=True):
        counts[(skill, difficulty)] = counts.get((skill, difficulty), 0) + 1
    return tuple(
        ItemSpec(skill, (difficulty,), n)
        for (skill, difficulty), n in sorted(
            counts.items(), key=lambda kv: (ranked.index(kv[0][0]), DIFFICULTIES.index(kv[0][1]))
        )
    )


# ---------------------------------------------------------------------------------------------
# Role templates


@dataclass(frozen=True)
class Duty:
    """One responsibility or requirement of a role, and the skills that measure it."""

    text: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class RoleTemplate:
    """A ready-made role: its duties, the profile they add up to, time and languages."""

    id: str
    title: str
    seniority: str
    summary: str
    total_minutes: int
    languages: tuple[str, ...]
    duties: tuple[Duty, ...]

    def profile(self) -> SkillProfile:
        """Each skill weighs by how many duties ask for it: one 0.6, two 0.8, three or more 1."""
        mentions: dict[str, int] = {}
        for duty in self.duties:
            for skill in duty.skills:
                mentions[skill] = mentions.get(skill, 0) + 1
        weights = {skill: round(min(1.0, 0.4 + 0.2 * n), 2) for skill, n in mentions.items()}
        return SkillProfile(weights=weights, seniority=self.seniority)

    def blueprint(self) -> Blueprint:
        return build_blueprint(
            self.profile(), total_minutes=self.total_minutes, languages=self.languages
        )


# From /work/shared/seed/lead-back-end-engineer.txt: twelve responsibilities, ten requirements.
LEAD_BACK_END_ENGINEER = RoleTemplate(
    id="lead-back-end-engineer",
    title="Lead Back-End Engineer",
    seniority="lead",
    summary=(
        "Designs scalable, secure server-side systems, writes and reviews code in Python, Java "
        "or Node.js, and leads a team: coding, SQL, code review and design work samples plus "
        "knowledge items for the rest."
    ),
    total_minutes=90,
    languages=("python", "node", "java"),
    duties=(
        Duty("Architecture design", ("system-design",)),
        Duty(
            "Coding and implementation in Python, Java or Node.js",
            ("coding", "python", "java", "nodejs", "documentation"),
        ),
        Duty("Technical mentoring", ("leadership", "collaboration")),
        Duty("Performance optimization: profiling, caching, load balancing", ("performance",)),
        Duty("Database management: transactions, SQL and NoSQL", ("sql", "nosql", "security")),
        Duty("API development: RESTful, versioned, documented", ("api-design", "documentation")),
        Duty("Error handling and fault tolerance", ("fault-tolerance",)),
        Duty("Security practices: authentication, encryption, privacy", ("security",)),
        Duty("Collaboration with front-end, product and stakeholders", ("collaboration",)),
        Duty("Infrastructure management: IaaS and containers", ("cloud", "containers")),
        Duty("CI/CD pipelines automating testing and deployment", ("ci-cd", "testing")),
        Duty("Technical documentation", ("documentation",)),
        Duty(
            "Extensive experience in back-end development and architecture",
            ("system-design", "coding"),
        ),
        Duty("Proficiency in Python, Java or Node.js", ("python", "java", "nodejs")),
        Duty("Database expertise: SQL and NoSQL, transactions, optimisation", ("sql", "nosql")),
        Duty("Cloud computing knowledge", ("cloud",)),
        Duty("System design: microservices and scalability", ("system-design",)),
        Duty("Leadership and mentorship", ("leadership",)),
        Duty("Problem-solving", ("coding",)),
        Duty("Security awareness: authn/authz, encryption, privacy law", ("security",)),
        Duty("Collaboration and communication", ("collaboration",)),
        # Measured through the code review (does the candidate hold the team to current best
        # practice?); no test measures a commitment to learning directly.
        Duty("Continuous learning of current tools and practices", ("leadership",)),
    ),
)

ROLE_TEMPLATES: dict[str, RoleTemplate] = {t.id: t for t in (LEAD_BACK_END_ENGINEER,)}
