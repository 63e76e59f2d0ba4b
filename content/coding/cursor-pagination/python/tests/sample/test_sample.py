"""Sample tests: run them from the editor. The hidden tests check many more cases."""

from datetime import datetime, timedelta, timezone

import pytest

from pagination import InvalidCursor, Record, paginate

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_example_from_the_statement():
    records = [Record(3, T0), Record(1, T0), Record(2, T0 + timedelta(seconds=1))]
    page = paginate(records, limit=2)
    assert [r.id for r in page.items] == [1, 3]
    assert page.next_cursor is not None
    records.append(Record(0, T0))
    page = paginate(records, limit=2, cursor=page.next_cursor)
    assert [r.id for r in page.items] == [2]
    assert page.next_cursor is None


def test_garbage_cursor_is_rejected():
    with pytest.raises(InvalidCursor):
        paginate([Record(1, T0)], limit=10, cursor="not a cursor")
