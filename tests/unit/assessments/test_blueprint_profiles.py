"""Blueprints from role templates and from analysed job descriptions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assay.assessments.blueprint import (
    LEAD_BACK_END_ENGINEER,
    ROLE_TEMPLATES,
    BlueprintError,
    SectionKind,
    SkillProfile,
    build_blueprint,
)
from assay.assessments.jd import analyze

FIXTURES = Path(__file__).parents[2] / "fixtures" / "job_descriptions"
FLAGSHIP = FIXTURES / "tuning" / "flagship-lead-back-end-engineer"


def test_lead_template_measures_every_duty_of_the_seed_with_work_samples() -> None:
    blueprint = LEAD_BACK_END_ENGINEER.blueprint()
    kinds = [section.kind for section in blueprint.sections]
    assert kinds == list(SectionKind)  # knowledge, coding, sql, code review, design
    assert blueprint.total_minutes == 90
    assert blueprint.languages == ("python", "node", "java")
    measured = blueprint.measured_skills()
    unmeasured = [d.text for d in LEAD_BACK_END_ENGINEER.duties if not set(d.skills) & measured]
    assert not unmeasured
    expected = yaml.safe_load(FLAGSHIP.with_suffix(".expected.yaml").read_text())
    assert set(expected["required"]) <= measured


def test_template_is_listed_and_its_profile_comes_from_its_duties() -> None:
    assert ROLE_TEMPLATES["lead-back-end-engineer"] is LEAD_BACK_END_ENGINEER
    profile = LEAD_BACK_END_ENGINEER.profile()
    assert profile.seniority == "lead"
    assert profile.weights["system-design"] == 1.0  # three duties
    assert profile.weights["fault-tolerance"] == 0.6  # one duty


def test_knowledge_items_fill_the_time_and_favour_skills_no_work_sample_measures() -> None:
    blueprint = LEAD_BACK_END_ENGINEER.blueprint()
    knowledge = blueprint.section(SectionKind.KNOWLEDGE)
    assert knowledge is not None
    assert knowledge.item_count == knowledge.minutes * 60 // 105
    skills = {spec.skill for spec in knowledge.specs}
    assert {"nosql", "cloud", "containers", "ci-cd", "fault-tolerance"} <= skills
    assert "sql" not in skills  # the SQL task measures it
    hard = sum(s.count for s in knowledge.specs if s.difficulties == ("hard",))
    assert hard == round(knowledge.item_count * 0.6)  # a lead's mix


def test_job_description_profile_becomes_a_blueprint() -> None:
    profile = analyze(FLAGSHIP.with_suffix(".txt").read_text())
    skills = SkillProfile({s.id: s.weight for s in profile.skills}, profile.seniority)
    blueprint = build_blueprint(skills)
    assert blueprint.seniority == "lead"
    assert blueprint.total_minutes == 90
    assert blueprint.section(SectionKind.SQL) is not None
    assert {"system-design", "security", "leadership", "sql"} <= blueprint.measured_skills()


def test_a_junior_python_profile_gets_easier_items_and_only_python() -> None:
    profile = SkillProfile({"python": 1.0, "testing": 0.5, "sql": 0.2}, "junior")
    blueprint = build_blueprint(profile)
    assert blueprint.languages == ("python",)
    assert blueprint.total_minutes == 60
    kinds = [s.kind for s in blueprint.sections]
    assert SectionKind.SQL not in kinds
    assert SectionKind.DESIGN not in kinds
    knowledge = blueprint.section(SectionKind.KNOWLEDGE)
    assert knowledge is not None
    assert {d for s in knowledge.specs for d in s.difficulties} <= {"easy", "medium"}


def test_total_time_and_languages_are_adjustable() -> None:
    profile = LEAD_BACK_END_ENGINEER.profile()
    blueprint = build_blueprint(
        profile,
        total_minutes=120,
        languages=["java", "python"],
        section_minutes={SectionKind.SQL: 25},
    )
    assert blueprint.languages == ("python", "java")
    sql = blueprint.section(SectionKind.SQL)
    assert sql is not None
    assert sql.minutes == 25
    assert blueprint.total_minutes == 120 - 19 + 25  # SQL's default share of 120 was 19


@pytest.mark.parametrize(
    ("profile", "kwargs", "message"),
    [
        (SkillProfile({}, "lead"), {}, "profile is empty"),
        (SkillProfile({"testing": 0.1}, "lead"), {}, "profile is empty"),
        (SkillProfile({"cobol": 1.0}, "lead"), {}, "Unknown skill 'cobol'"),
        (SkillProfile({"sql": 1.0}, "wizard"), {}, "Unknown seniority"),
        (SkillProfile({"sql": 1.5}, "mid"), {}, "between 0 and 1"),
        (SkillProfile({"sql": 1.0}, "mid"), {"total_minutes": 5}, "between 10 and 240"),
        (SkillProfile({"sql": 1.0}, "mid"), {"languages": ["cobol"]}, "Unknown coding language"),
        (SkillProfile({"sql": 1.0}, "mid"), {"languages": []}, "at least one language"),
        (
            SkillProfile({"sql": 1.0}, "mid"),
            {"section_minutes": {SectionKind.DESIGN: 20}},
            "no Design section",
        ),
    ],
)
def test_bad_profiles_and_adjustments_say_why(
    profile: SkillProfile, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(BlueprintError, match=message):
        build_blueprint(profile, **kwargs)  # type: ignore[arg-type]
