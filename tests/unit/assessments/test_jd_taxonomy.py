"""The job-description taxonomy: every term compiles, and the documented synonyms hold."""

from __future__ import annotations

import pytest

from assay.assessments.jd import analyze
from assay.assessments.taxonomy import compile_term, load_terms
from assay.content.skills import SKILL_IDS


def test_every_skill_has_terms_and_every_term_names_known_skills() -> None:
    terms = load_terms()
    covered = {skill for term in terms for skill in term.skills}
    assert covered == set(SKILL_IDS)


@pytest.mark.parametrize(
    ("term", "text", "matches"),
    [
        ("code review", "code-reviews", False),
        ("code review~", "Code-Reviews", True),
        ("mentor~", "mentoring", True),
        ("mentor~", "mentorship", True),
        ("cross-functional~", "cross functionally", True),
        ("optimi[sz]~", "optimising", True),
        ("CI/CD", "CI / CD", True),
        ("SQL", "NoSQL", False),
        ("SQL", "T-SQL", True),
        ("Java", "JavaScript", False),
        ("Node.js", "Nodexjs", False),
    ],
)
def test_term_language(term: str, text: str, matches: bool) -> None:
    assert bool(compile_term(term).search(text)) is matches


def test_case_sensitive_terms_keep_their_case() -> None:
    rest = compile_term("REST", case_sensitive=True)
    assert rest.search("REST APIs")
    assert not rest.search("the rest of the team")


@pytest.mark.parametrize(
    ("phrase", "skill"),
    [
        ("Kafka", "messaging"),
        ("RabbitMQ", "messaging"),
        ("SQS", "messaging"),
        ("pub/sub", "messaging"),
        ("background jobs", "messaging"),
        ("Postgres", "sql"),
        ("MySQL", "sql"),
        ("query optimisation", "sql"),
        ("indexing", "sql"),
        ("MongoDB", "nosql"),
        ("DynamoDB", "nosql"),
        ("Kubernetes", "containers"),
        ("k8s", "containers"),
        ("Helm", "containers"),
        ("Docker", "containers"),
        ("AWS", "cloud"),
        ("GCP", "cloud"),
        ("Azure", "cloud"),
        ("IaaS", "cloud"),
        ("serverless", "cloud"),
        ("Jenkins", "ci-cd"),
        ("GitHub Actions", "ci-cd"),
        ("CI/CD", "ci-cd"),
        ("Prometheus", "observability"),
        ("Grafana", "observability"),
        ("OpenTelemetry", "observability"),
        ("logging", "observability"),
        ("monitoring", "observability"),
        ("mentoring", "leadership"),
        ("code reviews", "leadership"),
        ("lead a team", "leadership"),
        ("stakeholders", "collaboration"),
        ("cross-functional teams", "collaboration"),
        ("communication skills", "collaboration"),
        ("TypeScript", "nodejs"),
        ("Node.js", "nodejs"),
        ("NestJS", "nodejs"),
        ("Express.js", "nodejs"),
        ("Spring Boot", "java"),
        ("JVM", "java"),
        ("Kotlin", "java"),
        ("Django", "python"),
        ("FastAPI", "python"),
        ("Flask", "python"),
        ("Golang", "go"),
        ("REST", "api-design"),
        ("GraphQL", "api-design"),
        ("gRPC", "api-design"),
        ("OpenAPI", "api-design"),
        ("caching", "performance"),
        ("profiling", "performance"),
        ("latency", "performance"),
        ("high-traffic", "performance"),
        ("high availability", "fault-tolerance"),
        ("incident response", "fault-tolerance"),
        ("on-call", "fault-tolerance"),
        ("retries", "fault-tolerance"),
        ("resilience", "fault-tolerance"),
        ("OAuth", "security"),
        ("authentication", "security"),
        ("encryption", "security"),
        ("GDPR", "security"),
        ("OWASP", "security"),
        ("multithreading", "concurrency"),
        ("async", "concurrency"),
        ("concurrency", "concurrency"),
        ("microservices", "system-design"),
        ("distributed systems", "system-design"),
        ("scalable architecture", "system-design"),
        ("TDD", "testing"),
        ("unit tests", "testing"),
        ("integration tests", "testing"),
        ("documentation", "documentation"),
        ("technical writing", "documentation"),
        ("data structures", "coding"),
        ("algorithms", "coding"),
        ("clean code", "coding"),
        ("problem solving", "coding"),
    ],
)
def test_documented_synonyms_map_to_their_skill(phrase: str, skill: str) -> None:
    profile = analyze(f"Requirements\n- Experience with {phrase}\n")
    assert skill in {s.id for s in profile.skills}


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("We put our product through performance reviews twice a year.", "performance"),
        ("A secure, stable employer.", "security"),
        ("The rest of the team is in Berlin.", "api-design"),
        ("Spring is a lovely season in Hamburg.", "java"),
        ("Express your ideas freely.", "nodejs"),
        ("FreeRTOS tasks, queues and interrupts", "messaging"),
        ("Run A/B tests with data scientists", "testing"),
        ("Experience with a document database", "documentation"),
        ("Spring Cloud Gateway", "cloud"),
    ],
)
def test_ambiguous_words_need_their_technical_sense(text: str, skill: str) -> None:
    profile = analyze(f"Requirements\n- {text}\n")
    assert skill not in {s.id for s in profile.skills}
