"""Sample tests: run them from the editor. The hidden tests check many more cases."""

import pytest

from payments import IdempotencyConflict, PaymentHandler


class FakeClock:
    """A clock the test moves by hand: inject it as PaymentHandler(..., clock=clock)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class CountingProcessor:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, payload):
        self.calls += 1
        return {"charge_id": f"ch_{self.calls}", "amount": payload["amount"]}


def test_retry_replays_the_stored_result():
    processor = CountingProcessor()
    handler = PaymentHandler(processor, clock=FakeClock())
    first = handler.handle("k-1", {"amount": 500, "currency": "EUR"})
    again = handler.handle("k-1", {"amount": 500, "currency": "EUR"})
    assert first == again == {"charge_id": "ch_1", "amount": 500}
    assert processor.calls == 1


def test_different_payload_is_a_conflict():
    handler = PaymentHandler(CountingProcessor(), clock=FakeClock())
    handler.handle("k-1", {"amount": 500, "currency": "EUR"})
    with pytest.raises(IdempotencyConflict):
        handler.handle("k-1", {"amount": 900, "currency": "EUR"})


def test_empty_key_is_rejected():
    handler = PaymentHandler(CountingProcessor(), clock=FakeClock())
    with pytest.raises(ValueError):
        handler.handle("", {"amount": 500})
