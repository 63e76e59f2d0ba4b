"""The skill vocabulary: the 22 top-level skill ids of PRODUCT.md, the single source of truth.

Content, job-description analysis, blueprints and reports all import this module; nothing else
spells a skill id list. A sub-skill is written ``<skill-id>.<name>`` and rolls up to exactly one id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    """One top-level skill: a stable id, a short title, and what it covers."""

    id: str
    title: str
    description: str


SKILLS: tuple[Skill, ...] = (
    Skill(
        "system-design",
        "System design",
        "Architecture, scalability, microservices, distributed systems, service boundaries, "
        "trade-offs.",
    ),
    Skill(
        "coding",
        "Coding",
        "Clean code, algorithms and data structures, problem solving, refactoring.",
    ),
    Skill("python", "Python", "Python language and ecosystem."),
    Skill("java", "Java", "Java language and ecosystem."),
    Skill(
        "nodejs",
        "Node.js",
        "JavaScript / TypeScript on the server, Node.js runtime and event loop.",
    ),
    Skill("go", "Go", "Go language."),
    Skill(
        "sql",
        "SQL and relational databases",
        "Relational databases: SQL, schema design, indexing, query optimisation, transactions, "
        "isolation.",
    ),
    Skill(
        "nosql",
        "NoSQL",
        "Document, key-value, wide-column stores (MongoDB, Redis, Cassandra, DynamoDB), "
        "their trade-offs.",
    ),
    Skill(
        "api-design",
        "API design",
        "REST and other API styles, versioning, pagination, idempotency, OpenAPI documentation.",
    ),
    Skill(
        "performance",
        "Performance",
        "Profiling, caching, load balancing, latency and throughput work.",
    ),
    Skill(
        "fault-tolerance",
        "Fault tolerance",
        "Error handling, retries and backoff, timeouts, circuit breakers, graceful degradation, "
        "incident response.",
    ),
    Skill(
        "security",
        "Security and privacy",
        "Authentication, authorization, encryption, secrets, privacy and data-protection law, "
        "OWASP risks.",
    ),
    Skill(
        "messaging",
        "Messaging",
        "Queues, streams, pub/sub, background jobs, event-driven workflows (Kafka, RabbitMQ, ...).",
    ),
    Skill(
        "concurrency",
        "Concurrency",
        "Threads, async I/O, locks, race conditions, parallelism.",
    ),
    Skill("cloud", "Cloud", "IaaS / PaaS on cloud providers, managed services, cost."),
    Skill("containers", "Containers", "Docker, Kubernetes, orchestration, images."),
    Skill(
        "ci-cd",
        "CI/CD",
        "Build and deployment pipelines, automated testing in pipelines, release and rollback.",
    ),
    Skill(
        "observability",
        "Observability",
        "Logging, metrics, tracing, monitoring, alerting.",
    ),
    Skill(
        "testing",
        "Testing",
        "Unit, integration, contract and performance tests; test design.",
    ),
    Skill(
        "documentation",
        "Documentation",
        "Technical documentation, API references, decision records.",
    ),
    Skill(
        "leadership",
        "Technical leadership",
        "Mentoring, code review, technical leadership, design reviews, raising standards.",
    ),
    Skill(
        "collaboration",
        "Collaboration",
        "Communication with stakeholders, cross-functional work, translating business goals.",
    ),
)

SKILLS_BY_ID: dict[str, Skill] = {skill.id: skill for skill in SKILLS}
SKILL_IDS: frozenset[str] = frozenset(SKILLS_BY_ID)

# "<skill-id>.<name>": the name is lowercase kebab-case, like every id in the library.
_SUBSKILL = re.compile(r"^(?P<skill>[a-z][a-z0-9-]*)\.(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)$")


def is_skill(skill_id: str) -> bool:
    """Whether ``skill_id`` is one of the 22 top-level ids."""
    return skill_id in SKILL_IDS


def get_skill(skill_id: str) -> Skill:
    """The skill with this id; raises KeyError for an unknown id."""
    return SKILLS_BY_ID[skill_id]


def parent_skill(subskill: str) -> str | None:
    """The top-level id a ``<skill-id>.<name>`` sub-skill rolls up to, or None if malformed."""
    match = _SUBSKILL.match(subskill)
    if match is None or match["skill"] not in SKILL_IDS:
        return None
    return match["skill"]
