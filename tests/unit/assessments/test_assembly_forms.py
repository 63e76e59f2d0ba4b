"""Assembly: pools per slot, shortfalls that name the skill, and seeded, exposure-capped forms."""

from __future__ import annotations

from collections import Counter

from assay.assessments.assembly import Exposure, ExposurePolicy, assemble, draw
from assay.assessments.blueprint import (
    LEAD_BACK_END_ENGINEER,
    SectionKind,
    SkillProfile,
    build_blueprint,
)
from assay.assessments.index import ContentIndex, get_content_index, index_item
from assay.content.schemas import ChoiceItem, CodingTaskMeta


def choice(item_id: str, skill: str, difficulty: str = "medium") -> ChoiceItem:
    return ChoiceItem.model_validate(
        {
            "id": item_id,
            "version": 1,
            "type": "choice",
            "mode": "single",
            "skills": [skill],
            "difficulty": difficulty,
            "difficulty_prior": 0.0,
            "expected_seconds": 90,
            "stem": f"Question {item_id}?",
            "options": [
                {
                    "id": letter,
                    "text": f"option {letter}",
                    "correct": letter == "a",
                    "rationale": "because",
                }
                for letter in "abcd"
            ],
        }
    )


def coding(item_id: str, languages: list[str], minutes: int = 25) -> CodingTaskMeta:
    return CodingTaskMeta.model_validate(
        {
            "id": item_id,
            "version": 2,
            "type": "coding",
            "title": item_id,
            "skills": ["python"],
            "difficulty": "medium",
            "difficulty_prior": 0.0,
            "expected_minutes": minutes,
            "languages": languages,
        }
    )


def library(*items: ChoiceItem | CodingTaskMeta) -> ContentIndex:
    return ContentIndex(tuple(index_item(item) for item in items))


SQL_ONLY = build_blueprint(SkillProfile({"sql": 0.2, "security": 1.0}, "mid"), total_minutes=20)


def test_shortfall_names_the_section_skill_difficulty_and_count() -> None:
    blueprint = build_blueprint(
        SkillProfile({"security": 1.0, "nosql": 0.9}, "senior"), total_minutes=30
    )
    index = library(
        *[choice(f"sec-{d}-{n}", "security", d) for d in ("medium", "hard") for n in range(4)]
    )
    messages = [s.message for s in assemble(blueprint, index).shortfalls]
    knowledge = blueprint.section(SectionKind.KNOWLEDGE)
    assert knowledge is not None
    nosql = [s for s in knowledge.specs if s.skill == "nosql"]
    assert nosql
    for spec in nosql:
        noun = "item" if spec.count == 1 else "items"
        wanted = f"Knowledge: needs {spec.count} more {spec.difficulties[0]} NoSQL {noun}"
        assert f"{wanted} (the library has 0)." in messages
    assert not any("Security" in m for m in messages)


def test_coding_shortfall_is_per_language_and_respects_time() -> None:
    blueprint = build_blueprint(SkillProfile({"python": 1.0, "java": 1.0}, "mid"), total_minutes=60)
    coding_minutes = blueprint.section(SectionKind.CODING).minutes  # type: ignore[union-attr]
    index = library(
        coding("py-short", ["python"]), coding("java-long", ["java"], minutes=coding_minutes * 2)
    )
    shortfalls = [s for s in assemble(blueprint, index).shortfalls if s.section == "coding"]
    assert [(s.language, s.missing) for s in shortfalls] == [("java", 1)]
    assert "in Java taking at most" in shortfalls[0].message


def test_flagship_template_against_the_real_library_reports_only_real_gaps() -> None:
    index = get_content_index()
    assembly = assemble(LEAD_BACK_END_ENGINEER.blueprint(), index)
    for shortfall in assembly.shortfalls:
        assert shortfall.available < shortfall.needed
        assert shortfall.message.endswith(f"(the library has {shortfall.available}).")
    knowledge = [s for s in assembly.slots if s.section is SectionKind.KNOWLEDGE]
    assert knowledge
    assert all(len(s.pool) >= s.spec.count for s in knowledge)


def _big_library() -> ContentIndex:
    return library(
        *[
            choice(f"{skill}-{difficulty}-{n}", skill, difficulty)
            for skill in ("security", "api-design")
            for difficulty in ("easy", "medium", "hard")
            for n in range(6)
        ]
    )


def test_two_seeds_give_different_forms_and_one_seed_the_same_form() -> None:
    blueprint = build_blueprint(
        SkillProfile({"security": 1.0, "api-design": 1.0}, "mid"), total_minutes=20
    )
    index = _big_library()
    assembly = assemble(blueprint, index)
    first = draw(assembly, index, seed=1)
    again = draw(assembly, index, seed=1)
    second = draw(assembly, index, seed=2)
    assert first == again
    assert first.item_ids() != second.item_ids()
    items = [i for s in first.sections for i in s.items]
    orders = {i.option_order for i in items}
    assert all(o is not None and sorted(o) == ["a", "b", "c", "d"] for o in orders)
    assert len(orders) > 1 or orders != {("a", "b", "c", "d")}  # options really shuffled
    # Balanced: every form has the blueprint's count per skill and difficulty.
    expected: Counter[tuple[str, str]] = Counter()
    for spec in blueprint.sections[0].specs:
        expected[(spec.skill, spec.difficulties[0])] += spec.count
    assert Counter((i.skill, i.difficulty) for i in items) == expected


def test_exposure_cap_holds_over_many_forms() -> None:
    blueprint = build_blueprint(SkillProfile({"security": 1.0}, "mid"), total_minutes=10)
    index = _big_library()
    assembly = assemble(blueprint, index)
    assert assembly.complete
    pool = [i for slot in assembly.slots for i in slot.pool]
    cap = max(slot.spec.count / len(slot.pool) for slot in assembly.slots) + 0.1
    policy = ExposurePolicy(cap=cap, min_forms=10)
    shown: Counter[str] = Counter()
    forms = 300
    for seed in range(forms):
        exposure = {i: Exposure(shown[i], seed) for i in pool}
        form = draw(assembly, index, seed=seed, exposure=exposure, policy=policy)
        assert not form.over_cap
        shown.update(form.shown)
    assert max(shown.values()) / forms <= policy.cap
    assert set(shown) == set(pool)  # every item is used


def test_a_shallow_pool_goes_over_the_cap_and_says_so() -> None:
    blueprint = build_blueprint(SkillProfile({"security": 1.0}, "mid"), total_minutes=10)
    index = library(
        *[
            choice(f"sec-{spec.difficulties[0]}-{n}", "security", spec.difficulties[0])
            for spec in blueprint.sections[0].specs
            for n in range(spec.count)
        ]
    )
    assembly = assemble(blueprint, index)
    assert assembly.complete
    pool = [i for slot in assembly.slots for i in slot.pool]
    exposure = {i: Exposure(shown=50, eligible=50) for i in pool}
    form = draw(assembly, index, seed=3, exposure=exposure, policy=ExposurePolicy(cap=0.5))
    assert sorted(form.over_cap) == sorted(pool)


def test_coding_variants_reuse_a_task_both_languages_can_take() -> None:
    blueprint = build_blueprint(
        SkillProfile({"python": 1.0, "nodejs": 1.0}, "mid"), total_minutes=40
    )
    index = library(coding("both", ["python", "node"]), coding("py-only", ["python"]))
    assembly = assemble(blueprint, index)
    for seed in range(10):
        form = draw(assembly, index, seed=seed)
        section = next(s for s in form.sections if s.kind is SectionKind.CODING)
        by_language = {i.language: i.item_id for i in section.items}
        assert by_language["node"] == "both"
        assert {i.slot for i in section.items} == {0}
