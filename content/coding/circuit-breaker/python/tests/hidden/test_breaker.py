"""Hidden tests for CircuitBreaker: states, thresholds, timeouts, trials, late outcomes, threads."""

import sys
import threading
import time

import pytest

from breaker import CircuitBreaker, CircuitOpenError


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class ProviderDown(Exception):
    pass


def fail():
    raise ProviderDown("503")


def ok(value="ok"):
    return value


def make(threshold=3, timeout=30.0, trials=1):
    clock = FakeClock()
    breaker = CircuitBreaker(
        failure_threshold=threshold, reset_timeout=timeout, half_open_max_calls=trials, clock=clock
    )
    return breaker, clock


def trip(breaker, times):
    for _ in range(times):
        with pytest.raises(ProviderDown):
            breaker.call(fail)


class Blocker:
    """A call that blocks in another thread until released, then returns or raises."""

    def __init__(self, breaker, outcome="ok"):
        self.started = threading.Event()
        self.release = threading.Event()
        self.box = {}
        self.outcome = outcome

        def fn():
            self.started.set()
            assert self.release.wait(5)
            if self.outcome == "fail":
                raise ProviderDown("late failure")
            return "late success"

        def run():
            try:
                self.box["result"] = breaker.call(fn)
            except BaseException as exc:  # noqa: BLE001
                self.box["error"] = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.started.wait(5), "the call was not admitted"

    def finish(self):
        self.release.set()
        self.thread.join(5)
        assert not self.thread.is_alive()
        return self.box


def test_closed_breaker_passes_results_arguments_and_errors_through():
    breaker, _ = make()
    assert breaker.state == "closed"
    assert breaker.call(lambda a, b=0: a + b, 40, b=2) == 42
    error = ProviderDown("boom")

    def raise_it():
        raise error

    with pytest.raises(ProviderDown) as raised:
        breaker.call(raise_it)
    assert raised.value is error
    assert breaker.state == "closed"


def test_opens_exactly_at_the_threshold():
    breaker, _ = make(threshold=3)
    trip(breaker, 2)
    assert breaker.state == "closed"
    trip(breaker, 1)
    assert breaker.state == "open"


def test_only_consecutive_failures_count():
    breaker, _ = make(threshold=3)
    for _ in range(5):
        trip(breaker, 2)
        assert breaker.call(ok) == "ok"
    assert breaker.state == "closed"
    trip(breaker, 3)
    assert breaker.state == "open"


def test_open_breaker_refuses_without_calling():
    breaker, clock = make(threshold=1)
    trip(breaker, 1)
    calls = []
    for _ in range(3):
        clock.now += 5
        with pytest.raises(CircuitOpenError):
            breaker.call(lambda: calls.append(1))
    assert calls == []
    assert breaker.state == "open"


def test_half_open_exactly_at_the_reset_timeout():
    breaker, clock = make(threshold=1, timeout=30)
    trip(breaker, 1)  # opened at 1000
    clock.now = 1029.999
    assert breaker.state == "open"
    with pytest.raises(CircuitOpenError):
        breaker.call(ok)
    clock.now = 1030.0
    assert breaker.state == "half_open"
    assert breaker.call(ok) == "ok"
    assert breaker.state == "closed"


def test_a_failed_trial_reopens_for_a_full_timeout():
    breaker, clock = make(threshold=1, timeout=30)
    trip(breaker, 1)  # opened at 1000
    clock.now = 1045.0
    trip(breaker, 1)  # the trial fails: opened again at 1045
    assert breaker.state == "open"
    clock.now = 1074.0
    assert breaker.state == "open"
    with pytest.raises(CircuitOpenError):
        breaker.call(ok)
    clock.now = 1075.0
    assert breaker.state == "half_open"


def test_half_open_admits_only_the_trial_limit():
    breaker, clock = make(threshold=1, trials=2)
    trip(breaker, 1)
    clock.now += 30
    assert breaker.call(ok) == "ok"  # trial 1 succeeded: still half-open
    assert breaker.state == "half_open"
    first = Blocker(breaker)  # trial 2 is in flight
    with pytest.raises(CircuitOpenError):
        breaker.call(ok)
    assert first.finish() == {"result": "late success"}
    assert breaker.state == "closed"


def test_trials_that_finished_still_count_against_the_limit():
    breaker, clock = make(threshold=1, trials=3)
    trip(breaker, 1)
    clock.now += 30
    assert breaker.call(ok) == "ok"
    assert breaker.call(ok) == "ok"
    assert breaker.state == "half_open"
    assert breaker.call(ok) == "ok"
    assert breaker.state == "closed"
    assert [breaker.call(ok) for _ in range(5)] == ["ok"] * 5


def test_closing_resets_the_failure_count():
    breaker, clock = make(threshold=2)
    trip(breaker, 2)
    clock.now += 30
    breaker.call(ok)
    assert breaker.state == "closed"
    trip(breaker, 1)
    assert breaker.state == "closed"  # one failure since closing, threshold 2
    trip(breaker, 1)
    assert breaker.state == "open"


def test_late_success_from_the_closed_period_is_not_a_trial():
    breaker, clock = make(threshold=2, trials=1)
    slow = Blocker(breaker)  # admitted while closed
    trip(breaker, 2)
    clock.now += 30
    assert breaker.state == "half_open"
    assert slow.finish() == {"result": "late success"}  # the caller still gets its result
    assert breaker.state == "half_open"
    assert breaker.call(ok) == "ok"  # the one real trial
    assert breaker.state == "closed"


def test_late_failure_does_not_reopen_a_closed_breaker():
    breaker, clock = make(threshold=1, trials=1)
    slow = Blocker(breaker, outcome="fail")  # admitted while closed
    trip(breaker, 1)
    clock.now += 30
    breaker.call(ok)
    assert breaker.state == "closed"
    box = slow.finish()
    assert isinstance(box.get("error"), ProviderDown)  # the caller still gets its exception
    assert breaker.state == "closed"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"failure_threshold": 0},
        {"failure_threshold": -1},
        {"reset_timeout": 0},
        {"reset_timeout": -30},
        {"half_open_max_calls": 0},
    ],
)
def test_invalid_configuration_is_rejected(kwargs):
    with pytest.raises(ValueError):
        CircuitBreaker(clock=FakeClock(), **kwargs)


def test_a_slow_call_does_not_block_other_callers():
    breaker, _ = make()
    slow = Blocker(breaker)
    done = {}

    def other():
        done["result"] = breaker.call(ok, "fast")
        done["state"] = breaker.state

    thread = threading.Thread(target=other, daemon=True)
    thread.start()
    thread.join(2)
    finished = not thread.is_alive()
    slow.finish()
    assert finished, "a call waited for another call to finish"
    assert done == {"result": "fast", "state": "closed"}


THREADS = 10


def switch_often(frame, event, arg):
    """A profile hook that offers the GIL to another thread at every function call.

    Installed only in the racing threads, it makes the scheduler interleave them as finely as
    it can, so that a check-then-act race shows up on every run instead of once in a while.
    A correct breaker is unaffected: its decisions happen under its lock.
    """
    if event in ("call", "c_call"):
        time.sleep(0)


def run_together(count, target):
    """Start `count` threads that call target(i) at the same instant, racing hard."""
    barrier = threading.Barrier(count)

    def worker(i):
        barrier.wait()
        sys.setprofile(switch_often)
        try:
            target(i)
        finally:
            sys.setprofile(None)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_concurrent_callers_never_exceed_the_trial_limit():
    for round_number in range(30):
        limit = 1 + round_number % 3
        breaker, clock = make(threshold=1, trials=limit)
        trip(breaker, 1)
        clock.now += 30
        release = threading.Event()
        lock = threading.Lock()
        counts = {"admitted": 0, "refused": 0}

        def trial():
            with lock:
                counts["admitted"] += 1
            assert release.wait(5)
            return "ok"

        def caller(_):
            try:
                breaker.call(trial)
            except CircuitOpenError:
                with lock:
                    counts["refused"] += 1

        threads = run_together(THREADS, caller)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until every caller was admitted or refused
            with lock:
                if counts["admitted"] + counts["refused"] == THREADS:
                    break
            time.sleep(0.001)
        release.set()
        for thread in threads:
            thread.join(5)
        assert counts == {"admitted": limit, "refused": THREADS - limit}, round_number
        assert breaker.state == "closed"


def test_concurrent_failures_open_the_breaker():
    breaker, clock = make(threshold=5, timeout=30)
    barrier = threading.Barrier(THREADS)
    errors = []
    lock = threading.Lock()

    def caller():
        barrier.wait()
        for _ in range(20):
            try:
                breaker.call(fail)
            except (ProviderDown, CircuitOpenError) as exc:
                with lock:
                    errors.append(type(exc))

    threads = [threading.Thread(target=caller, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(errors) == THREADS * 20
    assert errors.count(ProviderDown) >= 5
    assert breaker.state == "open"
    clock.now += 30
    assert breaker.state == "half_open"
