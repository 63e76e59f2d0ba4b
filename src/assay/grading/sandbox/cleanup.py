"""Removing what a finished run leaves, its empty cgroup and its files, off the run's path.

On cgroup v1, removing a cgroup takes the kernel's cgroup_mutex, which the next run's launcher
holds while it migrates into its own fresh cgroup (waiting for an RCU grace period: milliseconds).
Removing inline put that wait on the run's path, at random. A run's processes are all dead, and
its accounting read, before its result is returned (runner._dispose); what is left is an empty
cgroup and the run's files, which a thread of this process removes in order. ``settle`` waits
for it: the host's exit does, and so do the tests before they look for leftovers. A host that
dies first leaves them to the next host's sweep (cgroups.Hierarchy.sweep, workdir.sweep).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)


class _Cleaner:
    def __init__(self) -> None:
        self.pending: deque[Callable[[], None]] = deque()
        self.running = 0
        self.changed = threading.Condition()
        threading.Thread(target=self._work, name="assay-sandbox-cleanup", daemon=True).start()

    def submit(self, task: Callable[[], None]) -> None:
        with self.changed:
            self.pending.append(task)
            self.changed.notify_all()

    def settle(self, timeout: float | None) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: not self.pending and not self.running, timeout)

    def _work(self) -> None:
        while True:
            with self.changed:
                self.changed.wait_for(lambda: bool(self.pending))
                task = self.pending.popleft()
                self.running += 1
            try:
                task()
            except Exception:  # an operator's problem, not the finished run's: log and go on
                log.exception("sandbox clean-up failed")
            finally:
                with self.changed:
                    self.running -= 1
                    self.changed.notify_all()


_cleaners: dict[int, _Cleaner] = {}  # keyed by pid: a forked child starts its own
_lock = threading.Lock()


def later(task: Callable[[], None]) -> None:
    """Run ``task`` on this process's clean-up thread, after those submitted before it."""
    with _lock:
        cleaner = _cleaners.get(os.getpid())
        if cleaner is None:
            cleaner = _cleaners[os.getpid()] = _Cleaner()
    cleaner.submit(task)


def settle(timeout: float | None = None) -> bool:
    """Wait until everything submitted so far is done; False if ``timeout`` ran out first."""
    with _lock:
        cleaner = _cleaners.get(os.getpid())
    return cleaner is None or cleaner.settle(timeout)
