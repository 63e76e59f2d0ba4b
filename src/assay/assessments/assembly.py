"""Assembly: a blueprint plus the content library become item pools, and pools become forms.

Pure functions. A pool holds every library item that can fill one slot of the blueprint (its
skill, difficulty, time and, for coding, language). A form draws each slot's items from its pool
with a seeded RNG, so the same seed always gives the same form, preferring the least-shown items
and keeping any item under the exposure cap whenever the pool is deep enough.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace

from assay.assessments.blueprint import (
    LANGUAGE_TITLES,
    SECTION_TITLES,
    Blueprint,
    ItemSpec,
    SectionKind,
    SectionPlan,
)
from assay.assessments.index import ContentIndex, IndexedItem
from assay.content.schemas import ChoiceItem
from assay.content.skills import get_skill

# Authors estimate an unhurried solution; a timed candidate may get down to two thirds of it
# (work samples give partial credit), but not less.
TIME_TOLERANCE = 1.5


@dataclass(frozen=True)
class Slot:
    """One item specification of one section, with every library item that can fill it."""

    section: SectionKind
    spec: ItemSpec
    language: str | None  # coding slots come once per allowed language
    max_minutes: float | None  # work samples must fit their section's time
    pool: tuple[str, ...]

    @property
    def shortfall(self) -> int:
        return max(0, self.spec.count - len(self.pool))


@dataclass(frozen=True)
class Shortfall:
    """A slot the library cannot fill: which skill, how many more items, of what kind."""

    section: SectionKind
    skill: str
    difficulties: tuple[str, ...]
    kind: str
    language: str | None
    needed: int
    available: int
    max_minutes: float | None

    @property
    def missing(self) -> int:
        return self.needed - self.available

    @property
    def message(self) -> str:
        text = (
            f"{SECTION_TITLES[self.section]}: needs {self.missing} more "
            f"{' or '.join(self.difficulties)} {get_skill(self.skill).title} "
            f"{'item' if self.missing == 1 else 'items'}"
        )
        if self.language:
            text += f" in {LANGUAGE_TITLES[self.language]}"
        if self.max_minutes is not None:
            text += f" taking at most {math.floor(self.max_minutes)} minutes"
        return text + f" (the library has {self.available})."


@dataclass(frozen=True)
class Assembly:
    """The pools of a blueprint, and what the library lacks to meet it."""

    blueprint: Blueprint
    slots: tuple[Slot, ...]

    @property
    def shortfalls(self) -> list[Shortfall]:
        return [
            Shortfall(
                section=slot.section,
                skill=slot.spec.skill,
                difficulties=slot.spec.difficulties,
                kind=_section_plan(self.blueprint, slot.section).content_type,
                language=slot.language,
                needed=slot.spec.count,
                available=len(slot.pool),
                max_minutes=slot.max_minutes,
            )
            for slot in self.slots
            if slot.shortfall
        ]

    @property
    def complete(self) -> bool:
        return not self.shortfalls


def _section_plan(blueprint: Blueprint, kind: SectionKind) -> SectionPlan:
    plan = blueprint.section(kind)
    assert plan is not None  # slots are made from the blueprint's own sections
    return plan


def _fits(item: IndexedItem, section: SectionPlan, spec: ItemSpec) -> bool:
    if item.kind != section.content_type or item.difficulty not in spec.difficulties:
        return False
    if section.kind is SectionKind.KNOWLEDGE:
        # Knowledge pools are keyed on the primary skill, so pools never share an item.
        return item.primary_skill == spec.skill
    return item.measures(spec.skill)


def assemble(blueprint: Blueprint, index: ContentIndex) -> Assembly:
    """The pool of every slot of ``blueprint`` in ``index``."""
    slots: list[Slot] = []
    for section in blueprint.sections:
        work_sample = section.kind is not SectionKind.KNOWLEDGE
        for spec in section.specs:
            candidates = [item for item in index.items if _fits(item, section, spec)]
            max_minutes = section.minutes * TIME_TOLERANCE / spec.count if work_sample else None
            if max_minutes is not None:
                candidates = [item for item in candidates if item.minutes <= max_minutes]
            languages: tuple[str | None, ...] = (
                blueprint.languages if section.kind is SectionKind.CODING else (None,)
            )
            for language in languages:
                pool = [i.id for i in candidates if language is None or language in i.languages]
                slots.append(Slot(section.kind, spec, language, max_minutes, tuple(pool)))
    return Assembly(blueprint, tuple(slots))


# ---------------------------------------------------------------------------------------------
# Forms


@dataclass(frozen=True)
class Exposure:
    """How often an item was shown, out of the forms whose pools could have shown it."""

    shown: int = 0
    eligible: int = 0

    @property
    def rate(self) -> float:
        return self.shown / self.eligible if self.eligible else 0.0


@dataclass(frozen=True)
class ExposurePolicy:
    """An item appears in at most ``cap`` of the forms it was eligible for, once there are
    ``min_forms`` of them (before that a rate says little)."""

    cap: float = 0.5
    min_forms: int = 20

    def allows(self, exposure: Exposure) -> bool:
        if exposure.eligible + 1 < self.min_forms:
            return True
        return (exposure.shown + 1) / (exposure.eligible + 1) <= self.cap


@dataclass(frozen=True)
class DrawnItem:
    """One item of a form: which version, which slot, and the order its options are shown."""

    item_id: str
    version: int
    kind: str
    skill: str
    difficulty: str
    slot: int  # position in its section; coding variants of one slot share it
    language: str | None = None
    option_order: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DrawnSection:
    kind: SectionKind
    minutes: int
    items: tuple[DrawnItem, ...]


@dataclass(frozen=True)
class DrawnForm:
    """The concrete items one candidate gets, in order, with shuffled options."""

    seed: int
    sections: tuple[DrawnSection, ...]
    shown: tuple[str, ...]  # every item id on the form
    eligible: tuple[str, ...]  # every item id that could have been on it
    over_cap: tuple[str, ...]  # drawn past the cap because its pool was too shallow

    def item_ids(self) -> list[str]:
        return [item.item_id for section in self.sections for item in section.items]


def _weighted_sample(
    rng: random.Random, ids: list[str], exposure: Mapping[str, Exposure], k: int
) -> list[str]:
    """``k`` ids without replacement, weighted towards the least-shown (weight 1 / (0.05 +
    rate), sampled by Efraimidis-Spirakis keys), so exposure evens out across a pool."""
    keyed = [(rng.random() ** (0.05 + exposure.get(i, Exposure()).rate), i) for i in sorted(ids)]
    return [i for _key, i in sorted(keyed, reverse=True)[:k]]


def draw(
    assembly: Assembly,
    index: ContentIndex,
    *,
    seed: int,
    exposure: Mapping[str, Exposure] | None = None,
    policy: ExposurePolicy | None = None,
) -> DrawnForm:
    """Draw one form. Same assembly, seed and exposure: same form."""
    rng = random.Random(seed)  # noqa: S311 - forms need variety and reproducibility, not secrecy
    seen = dict(exposure or {})
    policy = policy or ExposurePolicy()
    used: set[str] = set()
    over_cap: list[str] = []
    eligible: set[str] = set()
    by_section: dict[SectionKind, list[DrawnItem]] = {}
    slot_numbers: dict[tuple[SectionKind, ItemSpec], int] = {}
    for slot in assembly.slots:
        eligible.update(slot.pool)
        items = by_section.setdefault(slot.section, [])
        key = (slot.section, slot.spec)
        base = slot_numbers.setdefault(key, len({d.slot for d in items}))
        siblings = [d.item_id for d in items if d.slot >= base and d.skill == slot.spec.skill]
        # A coding task drawn for another language that this language can take too is reused,
        # so candidates who pick different languages still get the same task where possible.
        chosen = [i for i in dict.fromkeys(siblings) if i in slot.pool][: slot.spec.count]
        free = [i for i in slot.pool if i not in used]
        allowed = [i for i in free if policy.allows(seen.get(i, Exposure()))]
        chosen += _weighted_sample(rng, allowed, seen, slot.spec.count - len(chosen))
        if len(chosen) < slot.spec.count:
            # A shallow pool: fill from the least-shown items over the cap, and say so.
            rest = sorted(
                (i for i in free if i not in chosen),
                key=lambda i: (seen.get(i, Exposure()).rate, i),
            )[: slot.spec.count - len(chosen)]
            over_cap.extend(rest)
            chosen += rest
        for n, item_id in enumerate(chosen):
            used.add(item_id)
            record = index.by_id[item_id]
            order = None
            if isinstance(record.item, ChoiceItem):
                order = tuple(
                    rng.sample([o.id for o in record.item.options], len(record.item.options))
                )
            items.append(
                DrawnItem(
                    item_id=record.id,
                    version=record.version,
                    kind=record.kind,
                    skill=slot.spec.skill,
                    difficulty=record.difficulty,
                    slot=base + n,
                    language=slot.language,
                    option_order=order,
                )
            )
    sections = []
    for plan in assembly.blueprint.sections:
        items = by_section.get(plan.kind, [])
        if plan.kind is SectionKind.KNOWLEDGE:
            # Knowledge items in a fresh order for each form; work samples keep slot order.
            rng.shuffle(items)
            items = [replace(item, slot=n) for n, item in enumerate(items)]
        sections.append(DrawnSection(plan.kind, plan.minutes, tuple(items)))
    shown = tuple(i for s in sections for i in dict.fromkeys(d.item_id for d in s.items))
    return DrawnForm(seed, tuple(sections), shown, tuple(sorted(eligible)), tuple(over_cap))
