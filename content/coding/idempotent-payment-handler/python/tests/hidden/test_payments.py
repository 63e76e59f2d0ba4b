"""Hidden tests for PaymentHandler: replay, conflicts, failures, expiry, isolation, concurrency."""

import threading
import time

import pytest

from payments import IdempotencyConflict, PaymentHandler

THREADS = 16


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class CountingProcessor:
    """Returns a new charge per call; optionally slow (to widen real races) or failing."""

    def __init__(self, delay: float = 0.0, fail_first: int = 0) -> None:
        self.delay = delay
        self.fail_first = fail_first
        self.calls = 0
        self.payloads = []
        self._lock = threading.Lock()

    def __call__(self, payload):
        with self._lock:
            self.calls += 1
            number = self.calls
            self.payloads.append(payload)
        if self.delay:
            time.sleep(self.delay)
        if number <= self.fail_first:
            raise ConnectionError(f"provider unreachable (call {number})")
        return {"charge_id": f"ch_{number}", "amount": payload.get("amount"), "tags": ["paid"]}


def run_in_threads(target, count=THREADS):
    """Start `count` threads that call target(i) at the same instant; collect results/errors."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = [None] * count

    def worker(i):
        barrier.wait()
        try:
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each call raised
            errors[i] = exc

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(t.is_alive() for t in threads), "handle() never returned (deadlock?)"
    return results, errors


def call_in_thread(fn, timeout=2.0):
    """Run fn in a thread; return (finished, result, error) after at most `timeout` seconds."""
    box = {}

    def worker():
        try:
            box["result"] = fn()
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(timeout)
    return not thread.is_alive(), box.get("result"), box.get("error")


def make(**kwargs):
    processor = CountingProcessor(**kwargs)
    clock = FakeClock()
    return PaymentHandler(processor, ttl_seconds=60.0, clock=clock), processor, clock


PAYMENT = {"amount": 500, "currency": "EUR", "card": {"token": "tok_1", "last4": "4242"}}


def test_new_key_is_processed_and_its_result_returned():
    handler, processor, _ = make()
    assert handler.handle("k-1", PAYMENT) == {"charge_id": "ch_1", "amount": 500, "tags": ["paid"]}
    assert processor.calls == 1
    assert processor.payloads == [PAYMENT]


def test_retry_with_same_payload_replays_without_processing():
    handler, processor, _ = make()
    first = handler.handle("k-1", PAYMENT)
    for _ in range(3):
        assert handler.handle("k-1", dict(PAYMENT)) == first
    assert processor.calls == 1


def test_same_payload_with_keys_in_another_order_is_a_retry():
    handler, processor, _ = make()
    first = handler.handle("k-1", {"amount": 500, "currency": "EUR", "card": {"token": "t", "x": 1}})
    again = handler.handle("k-1", {"card": {"x": 1, "token": "t"}, "currency": "EUR", "amount": 500})
    assert again == first
    assert processor.calls == 1


def test_different_payload_is_a_conflict_and_keeps_the_stored_result():
    handler, processor, _ = make()
    first = handler.handle("k-1", PAYMENT)
    with pytest.raises(IdempotencyConflict):
        handler.handle("k-1", {**PAYMENT, "amount": 900})
    with pytest.raises(IdempotencyConflict):
        handler.handle("k-1", {"amount": 500, "currency": "EUR"})  # a missing field differs too
    assert handler.handle("k-1", PAYMENT) == first
    assert processor.calls == 1


def test_keys_are_independent():
    handler, processor, _ = make()
    a = handler.handle("k-a", PAYMENT)
    b = handler.handle("k-b", PAYMENT)
    assert a["charge_id"] != b["charge_id"]
    assert processor.calls == 2


def test_failure_stores_nothing_and_the_key_can_be_retried():
    handler, processor, _ = make(fail_first=1)
    with pytest.raises(ConnectionError):
        handler.handle("k-1", PAYMENT)
    assert handler.handle("k-1", PAYMENT)["charge_id"] == "ch_2"
    assert handler.handle("k-1", PAYMENT)["charge_id"] == "ch_2"
    assert processor.calls == 2


def test_after_a_failure_the_key_accepts_a_different_payload():
    handler, processor, _ = make(fail_first=1)
    with pytest.raises(ConnectionError):
        handler.handle("k-1", PAYMENT)
    assert handler.handle("k-1", {**PAYMENT, "amount": 700})["amount"] == 700
    assert processor.calls == 2


def test_result_expires_exactly_at_ttl():
    handler, processor, clock = make()
    first = handler.handle("k-1", PAYMENT)  # stored at t=1000, ttl 60
    clock.now = 1059.5
    assert handler.handle("k-1", PAYMENT) == first
    clock.now = 1060.0
    second = handler.handle("k-1", PAYMENT)
    assert second["charge_id"] == "ch_2"
    assert processor.calls == 2
    clock.now = 1119.0  # the new result was stored at 1060: still fresh
    assert handler.handle("k-1", PAYMENT) == second


def test_expired_key_accepts_a_different_payload():
    handler, _, clock = make()
    handler.handle("k-1", PAYMENT)
    clock.now += 61
    assert handler.handle("k-1", {**PAYMENT, "amount": 900})["amount"] == 900
    with pytest.raises(IdempotencyConflict):
        handler.handle("k-1", PAYMENT)


def test_expiry_is_measured_from_the_end_of_processing():
    clock = FakeClock()

    def slow_processor(payload):
        clock.now += 30  # the provider took 30 s
        return {"charge_id": "ch_slow"}

    handler = PaymentHandler(slow_processor, ttl_seconds=60.0, clock=clock)
    handler.handle("k-1", PAYMENT)  # started at 1000, stored at 1030
    clock.now = 1080.0
    assert handler.handle("k-1", PAYMENT) == {"charge_id": "ch_slow"}
    assert clock.now == 1080.0  # replay did not call the processor


def test_handler_keeps_its_own_copies():
    handler, processor, _ = make()
    payload = {"amount": 500, "currency": "EUR", "items": [1, 2]}
    result = handler.handle("k-1", payload)
    payload["items"].append(3)  # the caller reuses its dict
    result["tags"].append("tampered")
    result["amount"] = 0
    replay = handler.handle("k-1", {"amount": 500, "currency": "EUR", "items": [1, 2]})
    assert replay == {"charge_id": "ch_1", "amount": 500, "tags": ["paid"]}
    replay["tags"].clear()
    assert handler.handle("k-1", {"amount": 500, "currency": "EUR", "items": [1, 2]})["tags"] == ["paid"]
    with pytest.raises(IdempotencyConflict):
        handler.handle("k-1", payload)  # now differs from what was first sent
    assert processor.calls == 1


def test_invalid_arguments_are_rejected():
    with pytest.raises(ValueError):
        PaymentHandler(CountingProcessor(), ttl_seconds=0)
    with pytest.raises(ValueError):
        PaymentHandler(CountingProcessor(), ttl_seconds=-5)
    handler, processor, _ = make()
    with pytest.raises(ValueError):
        handler.handle("", PAYMENT)
    assert processor.calls == 0


def test_concurrent_duplicates_are_processed_once():
    for _ in range(5):
        handler, processor, _ = make(delay=0.005)
        results, errors = run_in_threads(lambda i: handler.handle("k-1", PAYMENT))
        assert errors == [None] * THREADS
        assert processor.calls == 1
        assert all(r == {"charge_id": "ch_1", "amount": 500, "tags": ["paid"]} for r in results)


def test_concurrent_requests_with_many_keys():
    handler, processor, _ = make(delay=0.001)
    results, errors = run_in_threads(lambda i: handler.handle(f"k-{i % 4}", PAYMENT))
    assert errors == [None] * THREADS
    assert processor.calls == 4
    for i, result in enumerate(results):
        assert result == results[i % 4]
    assert len({r["charge_id"] for r in results}) == 4


def test_conflict_while_in_flight_is_raised_without_waiting():
    release = threading.Event()
    started = threading.Event()

    def blocking_processor(payload):
        started.set()
        release.wait(10)
        return {"charge_id": "ch_1"}

    handler = PaymentHandler(blocking_processor, clock=FakeClock())
    first = threading.Thread(target=handler.handle, args=("k-1", PAYMENT), daemon=True)
    first.start()
    try:
        assert started.wait(5)
        finished, _, error = call_in_thread(lambda: handler.handle("k-1", {**PAYMENT, "amount": 1}))
        assert finished, "a conflicting request waited for the in-flight one"
        assert isinstance(error, IdempotencyConflict)
    finally:
        release.set()
        first.join(5)


def test_other_keys_are_not_blocked_by_a_slow_request():
    release = threading.Event()
    started = threading.Event()

    def processor(payload):
        if payload["amount"] == 1:
            started.set()
            release.wait(10)
        return {"charge_id": f"ch_{payload['amount']}"}

    handler = PaymentHandler(processor, clock=FakeClock())
    slow = threading.Thread(target=handler.handle, args=("slow", {"amount": 1}), daemon=True)
    slow.start()
    try:
        assert started.wait(5)
        finished, result, error = call_in_thread(lambda: handler.handle("fast", {"amount": 2}))
        assert finished, "a request for another key waited for the slow one"
        assert error is None
        assert result == {"charge_id": "ch_2"}
    finally:
        release.set()
        slow.join(5)


def test_waiters_take_over_after_a_failure():
    handler, processor, _ = make(delay=0.01, fail_first=1)
    results, errors = run_in_threads(lambda i: handler.handle("k-1", PAYMENT), count=8)
    failures = [e for e in errors if e is not None]
    assert len(failures) == 1 and isinstance(failures[0], ConnectionError)
    assert processor.calls == 2
    assert sorted(r["charge_id"] for r in results if r is not None) == ["ch_2"] * 7
