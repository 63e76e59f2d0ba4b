"""Test support for integrity: solutions of the lru-ttl-cache task, graded submissions, attempts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from assay.config import get_settings
from assay.delivery import service as delivery
from assay.delivery.models import Attempt, Response
from assay.grading import service as grading
from assay.grading.models import Submission
from tests.delivery_support import invite
from tests.factories import OrgFixture

TASK = "lru-ttl-cache"


def starter() -> str:
    path = Path(get_settings().content_dir) / "coding" / TASK / "python" / "starter" / "cache.py"
    return path.read_text()


HEADER = '''"""An in-process LRU cache with TTLs and invalidation by key, prefix and tag."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

'''

ORIGINAL = (
    HEADER
    + """
class LruTtlCache:
    def __init__(self, max_entries: int, *, default_ttl: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be positive")
        self._max = max_entries
        self._ttl = default_ttl
        self._clock = clock
        self._data: OrderedDict[str, tuple[Any, float | None, frozenset[str]]] = OrderedDict()

    def _alive(self, key: str) -> bool:
        entry = self._data.get(key)
        if entry is None:
            return False
        expires = entry[1]
        if expires is not None and expires <= self._clock():
            del self._data[key]
            return False
        return True

    def get(self, key: str, default: Any = None) -> Any:
        if not self._alive(key):
            return default
        self._data.move_to_end(key)
        return self._data[key][0]

    def put(self, key: str, value: Any, *, ttl: float | None = None,
            tags: Iterable[str] = ()) -> None:
        lifetime = ttl if ttl is not None else self._ttl
        expires = None if lifetime is None else self._clock() + lifetime
        if key in self._data:
            del self._data[key]
        while len(self._data) >= self._max:
            self._data.popitem(last=False)
        self._data[key] = (value, expires, frozenset(tags))

    def invalidate(self, key: str) -> bool:
        alive = self._alive(key)
        self._data.pop(key, None)
        return alive

    def invalidate_prefix(self, prefix: str) -> int:
        doomed = [k for k in self._data if k.startswith(prefix)]
        return sum(1 for k in doomed if self.invalidate(k))

    def invalidate_tag(self, tag: str) -> int:
        doomed = [k for k, entry in self._data.items() if tag in entry[2]]
        return sum(1 for k in doomed if self.invalidate(k))
"""
)

# ORIGINAL with every name changed and comments added: the disguise a copier tries first.
COPY = (
    HEADER
    + """
class LruTtlCache:
    def __init__(self, max_entries: int, *, default_ttl: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        # validate the capacity first
        if max_entries < 1:
            raise ValueError("capacity must be at least one")
        self.capacity = max_entries
        self.lifetime = default_ttl
        self.now = clock
        self.store: OrderedDict[str, tuple[Any, float | None, frozenset[str]]] = OrderedDict()

    def _fresh(self, name: str) -> bool:
        item = self.store.get(name)
        if item is None:
            return False
        deadline = item[1]
        if deadline is not None and deadline <= self.now():
            del self.store[name]
            return False
        return True

    def get(self, key: str, default: Any = None) -> Any:
        # a miss returns the default
        if not self._fresh(key):
            return default
        self.store.move_to_end(key)
        return self.store[key][0]

    def put(self, key: str, value: Any, *, ttl: float | None = None,
            tags: Iterable[str] = ()) -> None:
        span = ttl if ttl is not None else self.lifetime
        deadline = None if span is None else self.now() + span
        if key in self.store:
            del self.store[key]
        while len(self.store) >= self.capacity:
            self.store.popitem(last=False)
        self.store[key] = (value, deadline, frozenset(tags))

    def invalidate(self, key: str) -> bool:
        fresh = self._fresh(key)
        self.store.pop(key, None)
        return fresh

    def invalidate_prefix(self, prefix: str) -> int:
        victims = [name for name in self.store if name.startswith(prefix)]
        return sum(1 for name in victims if self.invalidate(name))

    def invalidate_tag(self, tag: str) -> int:
        victims = [name for name, item in self.store.items() if tag in item[2]]
        return sum(1 for name in victims if self.invalidate(name))
"""
)

INDEPENDENT = (
    HEADER
    + """
class _Node:
    __slots__ = ("key", "value", "expires_at", "tags", "prev", "next")

    def __init__(self, key: str, value: Any, expires_at: float, tags: set[str]) -> None:
        self.key, self.value, self.expires_at, self.tags = key, value, expires_at, tags
        self.prev: _Node | None = None
        self.next: _Node | None = None


class LruTtlCache:
    def __init__(self, max_entries: int, *, default_ttl: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        assert max_entries > 0
        self.limit, self.default_ttl, self.clock = max_entries, default_ttl, clock
        self.nodes: dict[str, _Node] = {}
        self.by_tag: dict[str, set[str]] = {}
        self.head = _Node("", None, float("inf"), set())
        self.head.prev = self.head.next = self.head

    def _unlink(self, node: _Node) -> None:
        assert node.prev is not None and node.next is not None
        node.prev.next, node.next.prev = node.next, node.prev

    def _push_front(self, node: _Node) -> None:
        first = self.head.next
        assert first is not None
        node.prev, node.next = self.head, first
        first.prev = node
        self.head.next = node

    def _drop(self, key: str) -> bool:
        node = self.nodes.pop(key, None)
        if node is None:
            return False
        self._unlink(node)
        for tag in node.tags:
            self.by_tag.get(tag, set()).discard(key)
        return node.expires_at > self.clock()

    def get(self, key: str, default: Any = None) -> Any:
        node = self.nodes.get(key)
        if node is None or node.expires_at <= self.clock():
            if node is not None:
                self._drop(key)
            return default
        self._unlink(node)
        self._push_front(node)
        return node.value

    def put(self, key: str, value: Any, *, ttl: float | None = None,
            tags: Iterable[str] = ()) -> None:
        self._drop(key)
        if len(self.nodes) >= self.limit:
            oldest = self.head.prev
            assert oldest is not None
            self._drop(oldest.key)
        seconds = self.default_ttl if ttl is None else ttl
        expires = float("inf") if seconds is None else self.clock() + seconds
        node = _Node(key, value, expires, set(tags))
        self.nodes[key] = node
        self._push_front(node)
        for tag in node.tags:
            self.by_tag.setdefault(tag, set()).add(key)

    def invalidate(self, key: str) -> bool:
        return self._drop(key)

    def invalidate_prefix(self, prefix: str) -> int:
        return [self._drop(k) for k in list(self.nodes) if k.startswith(prefix)].count(True)

    def invalidate_tag(self, tag: str) -> int:
        return [self._drop(k) for k in list(self.by_tag.pop(tag, set()))].count(True)
"""
)

SECOND_INDEPENDENT = (
    HEADER
    + """
class LruTtlCache:
    def __init__(self, max_entries: int, *, default_ttl: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size = max_entries
        self.ttl = default_ttl
        self.clock = clock
        self.values: dict[str, Any] = {}
        self.deadlines: dict[str, float] = {}
        self.labels: dict[str, set[str]] = {}
        self.used: dict[str, int] = {}
        self.tick = 0

    def _expired(self, key: str) -> bool:
        limit = self.deadlines.get(key)
        return limit is not None and self.clock() >= limit

    def _forget(self, key: str) -> None:
        for table in (self.values, self.deadlines, self.labels, self.used):
            table.pop(key, None)

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.values:
            return default
        if self._expired(key):
            self._forget(key)
            return default
        self.tick += 1
        self.used[key] = self.tick
        return self.values[key]

    def put(self, key: str, value: Any, *, ttl: float | None = None,
            tags: Iterable[str] = ()) -> None:
        if key not in self.values and len(self.values) >= self.size:
            victim = min(self.used, key=self.used.__getitem__)
            self._forget(victim)
        self.tick += 1
        self.values[key] = value
        self.used[key] = self.tick
        self.labels[key] = set(tags)
        chosen = self.ttl if ttl is None else ttl
        if chosen is None:
            self.deadlines.pop(key, None)
        else:
            self.deadlines[key] = self.clock() + chosen

    def invalidate(self, key: str) -> bool:
        present = key in self.values and not self._expired(key)
        self._forget(key)
        return present

    def invalidate_prefix(self, prefix: str) -> int:
        count = 0
        for key in [k for k in self.values if k.startswith(prefix)]:
            count += self.invalidate(key)
        return count

    def invalidate_tag(self, tag: str) -> int:
        count = 0
        for key in [k for k, found in self.labels.items() if tag in found]:
            count += self.invalidate(key)
        return count
"""
)


def graded_submission(db: Session, org: OrgFixture, source: str) -> Submission:
    """A submission stored and graded through the grading service (the result is made up)."""
    submission = grading.submit(
        db,
        organization_id=org.organization.id,
        task_id=TASK,
        language="python",
        files={"cache.py": source},
    )
    grading.record(
        db,
        submission_id=submission.id,
        suite_digest=submission.suite_digest,
        score=1.0,
        verdict="passed",
        tests=[],
    )
    db.flush()
    return submission


def started_attempt(db: Session, org: OrgFixture, assessment: Any, **touch: Any) -> Attempt:
    _candidate, token = invite(db, org, assessment)
    access = delivery.start(
        db, token=token, browser_id=uuid.uuid4().hex, ip="192.0.2.1", user_agent="Firefox"
    )
    assert access.attempt is not None
    db.flush()
    return access.attempt


def answer_with(
    db: Session, attempt: Attempt, item_id: str, answer: dict[str, Any], **fields: Any
) -> Response:
    """A stored response of the attempt (the autosave's row) with any fields set."""
    response = Response(
        organization_id=attempt.organization_id,
        attempt_id=attempt.id,
        item_id=item_id,
        item_version=1,
        section_index=0,
        answer=answer,
        sequence=1,
        **fields,
    )
    db.add(response)
    db.flush()
    return response
