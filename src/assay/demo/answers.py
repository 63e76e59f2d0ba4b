"""The demo's cast and canned words: candidate names, review comments and design answers."""

from __future__ import annotations

# Forty people, a mix of backgrounds; emails are built from them at example domains.
CANDIDATE_NAMES = (
    "Amara Nwosu",
    "Lukas Becker",
    "Mei Lin Chen",
    "Rafael Ortega",
    "Sofia Lindqvist",
    "Arjun Mehta",
    "Hannah Goldberg",
    "Kwame Mensah",
    "Yuki Tanaka",
    "Olivia Brennan",
    "Mateo Rossi",
    "Fatima Haddad",
    "Jonas Nieminen",
    "Chloé Marchand",
    "Daniel Kowalski",
    "Aisha Bello",
    "Ethan Park",
    "Ingrid Solberg",
    "Tariq Rahman",
    "Lucía Fernández",
    "Noah Fischer",
    "Zanele Dlamini",
    "Samuel Adeyemi",
    "Elena Popescu",
    "Ravi Krishnan",
    "Grace O'Connor",
    "Viktor Novak",
    "Leila Karimi",
    "Benjamin Hughes",
    "Ana Sousa",
    "Kenji Watanabe",
    "Maya Cohen",
    "Oskar Nilsson",
    "Nadia Petrova",
    "Diego Ramírez",
    "Siobhan Walsh",
    "Emeka Obi",
    "Julia Wagner",
    "Hiroshi Sato",
    "Priyanka Das",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
)

# What a reviewer writes on a line they flag, by the planted defect's category.
REVIEW_COMMENTS = {
    "bug": (
        "this breaks on the edge case; can we add a guard and a test?",
        "I don't think this does what the PR description says.",
    ),
    "security": (
        "this is a security risk as written; please fix it before we merge.",
        "we shouldn't ship this, it widens what an attacker can do.",
    ),
    "performance": (
        "this will get slow as data grows; can we bound or batch it?",
        "expensive on every call; worth caching or moving out of the hot path.",
    ),
    "design": (
        "this will be hard to change later; I'd restructure it.",
        "this should be configurable rather than baked in here.",
    ),
    "test_gap": (
        "nothing tests this path; please add a test.",
        "the tests only cover the happy path here.",
    ),
}
FALSE_POSITIVE_COMMENTS = (
    "Nit: I would rename this variable.",
    "Could this be a constant?",
    "Is this line needed?",
    "Maybe log here as well?",
    "I'd prefer an f-string for consistency.",
)

# Canned design answers, weakest first: index 0 is thin, the last one is what a strong lead
# would write in the time. The reviewer's rubric levels follow the index (see seed).
DESIGN_ANSWERS: dict[str, tuple[str, ...]] = {
    "design-catalogue-cache-invalidation": (
        "Put Redis in front of the database and cache every response for 10 minutes. "
        "If prices change they will be updated after 10 minutes which is fine. "
        "We can also add more read replicas if needed.",
        "Add a Redis cache keyed by product id and country with a TTL of 60 seconds. "
        "When a product is updated the admin service deletes the key so the next read "
        "loads it again. Category pages are cached the same way. For hot products we can "
        "keep them in memory on each instance. We should watch the hit rate in Grafana.",
        "Two layers: a small in-process LRU (a few seconds TTL) for the hottest products, "
        "and Redis keyed by product:{id}:{country}. I would split the document: the "
        "country-independent 4 KB part cached for an hour, price and stock cached per country "
        "for 30 s. Writes publish a change event (from an outbox) and a consumer deletes the "
        "keys, so invalidation is seconds, not TTL. Category pages cache only the ordered id "
        "list and hydrate products from the product cache. For stampedes, one request per key "
        "recomputes (a lock in Redis) while others serve the stale value. Measure hit ratio, "
        "p99 per endpoint and the age of served prices.",
        "Targets first: 20k rps at p99 < 50 ms means >= 90% of product reads must be served "
        "without PostgreSQL (it does ~2k docs/s). Layers: per-instance LRU (1-2 s TTL, only "
        "the top 1%, absorbs the 3k rps launch spike), then Redis with separate keys for the "
        "static document (product:{id}, long TTL) and the volatile part "
        "(price:{id}:{country}, short TTL). Category pages cache the sorted id list per "
        "(category, country, sort) and hydrate from the product keys.\n\n"
        "Invalidation: price changes are written with an outbox row in the same transaction; "
        "a relay publishes them and a consumer deletes or overwrites keys, versioned so an "
        "older event never overwrites a newer value. TTLs stay as a safety net. Reads after "
        "an invalidation go to the primary, not a lagging replica, or we re-cache the old "
        "price.\n\n"
        "Stampede and hot keys: request coalescing (single-flight) per key, "
        "stale-while-revalidate, jittered TTLs. Checkout always reads the price from the "
        "database, so a stale cache can never charge a wrong price. Measure hit ratio per "
        "layer, p99, invalidation lag (event time to key update) and a sampled comparison of "
        "cached prices against the database.",
    ),
    "design-tenant-rate-limits": (
        "Increase the per-key limit check and block the tenant that caused the problem. "
        "Maybe use nginx rate limiting.",
        "Move the counters to Redis so all 40 instances share them. Use a fixed window per "
        "tenant per second with INCR and EXPIRE. When the limit is hit return 429. Plans are "
        "stored in the database and loaded at start-up.",
        "Token bucket per tenant in Redis, implemented as a Lua script so read-refill-take is "
        "atomic across the 40 instances; capacity = burst, refill = plan rate. Expensive "
        "endpoints (reports, exports) get their own smaller bucket and a concurrency limit. "
        "Return 429 with Retry-After and RateLimit-Limit/Remaining headers. Plan limits and "
        "overrides come from a config table cached for 30 s on each instance. If Redis is "
        "down we fall back to a local limit of rate/40 per instance rather than failing open "
        "entirely.",
        "Key by tenant, not API key, so 30 keys cannot multiply the limit. A GCRA/token bucket "
        "in Redis via one Lua script (atomic, one round trip, ~0.3 ms), sharded by tenant id; "
        "capacity = burst, rate = plan, override > plan. Costly endpoints consume weighted "
        "tokens (a report = 20) plus a per-tenant concurrency cap of 2, so one tenant cannot "
        "pin the CPU.\n\n"
        "HTTP contract: 429 with Retry-After and the IETF RateLimit headers on every "
        "response, documented, so client libraries back off; never 503 for a quota.\n\n"
        "Redis failure: fail open to a local approximate bucket of rate/40 per instance, with "
        "an alert, so an outage of the limiter is never an outage of the API. A global "
        "admission limit protects the database whatever the tenant limits say.\n\n"
        "Config: limits live in a table edited by sales tools with an expiry on overrides, "
        "pushed to instances by a change feed; a dry-run mode logs would-be 429s per tenant "
        "for a week before enforcing.",
    ),
    "design-transactional-outbox-events": (
        "Send the event inside the transaction so it is only sent if the insert works, and "
        "add retries to the Kafka producer.",
        "Write the event to an outbox table in the same transaction as the order. A "
        "background job reads new rows every second, sends them to Kafka and deletes them. "
        "Consumers should be idempotent.",
        "Outbox: insert the OrderPlaced row in the same transaction as the order, so both "
        "commit or neither does. A relay (one leader, or Debezium reading the WAL) publishes "
        "rows in id order with the order id as the Kafka key, so events of one order stay in "
        "one partition in order. Delivery is at-least-once: the relay marks rows sent after "
        "the broker acks (acks=all, idempotent producer), and consumers deduplicate on event "
        "id (billing keeps a processed-events table). Sent rows are deleted by a daily job.",
        "Atomicity: the order and an outbox row (event id, aggregate id, type, payload, "
        "created_at) are written in one transaction; nothing talks to Kafka inside it.\n\n"
        "Relay: Debezium on the outbox table (logical replication) or a polling relay using "
        "SELECT ... FOR UPDATE SKIP LOCKED in batches of 500; key = order id so per-order "
        "order is kept within a partition; idempotent producer with acks=all. At 1,200 "
        "orders/s x 3 events a single relay is enough, with a standby.\n\n"
        "Consumers: at-least-once means duplicates; billing and warehouse store processed "
        "event ids in the same transaction as their effect; notifications tolerate a rare "
        "duplicate e-mail; analytics dedupes on load.\n\n"
        "Retention: delete published rows after 7 days in batches (or partition by day and "
        "drop), keep replay possible from Kafka's retention.\n\n"
        "Failure modes: relay down (rows accumulate; alert on oldest unpublished age), "
        "Kafka down (same), poison payload (park it, alert, do not block the partition), "
        "failover to the standby (sync replication keeps outbox rows). Backfill the 0.05% "
        "lost orders once from the orders table.",
    ),
}
