"""Hidden tests for paginate(): ordering, ties, walks, concurrent writes, cursors, limits."""

import random
import re
from datetime import datetime, timedelta, timezone

import pytest

from pagination import InvalidCursor, Record, paginate

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def at(seconds, micro=0):
    return T0 + timedelta(seconds=seconds, microseconds=micro)


def ids(page):
    return [r.id for r in page.items]


def store(seed=7, count=40):
    """Records with many ties on created_at, shuffled."""
    rng = random.Random(seed)
    records = [Record(i, at(rng.randrange(8)), f"candidate {i}") for i in range(1, count + 1)]
    rng.shuffle(records)
    return records


def expected_order(records, descending=False):
    return [r.id for r in sorted(records, key=lambda r: (r.created_at, r.id), reverse=descending)]


def walk(records, limit, descending=False):
    seen, cursor, pages = [], None, 0
    while True:
        page = paginate(records, limit=limit, cursor=cursor, descending=descending)
        seen += ids(page)
        pages += 1
        assert pages < 1000, "the walk never ends"
        if page.next_cursor is None:
            return seen, pages
        cursor = page.next_cursor


def test_first_page_is_sorted_by_created_at_then_id():
    records = [Record(5, at(2)), Record(9, at(1)), Record(2, at(1)), Record(7, at(0)), Record(1, at(3))]
    page = paginate(records, limit=4)
    assert ids(page) == [7, 2, 9, 5]
    assert page.next_cursor is not None
    assert page.items[0] == Record(7, at(0))


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 40, 100])
def test_walking_every_page_returns_every_record_once_in_order(limit):
    records = store()
    seen, pages = walk(records, limit)
    assert seen == expected_order(records)
    assert pages == -(-len(records) // limit)  # exactly ceil(n / limit) pages


def test_ties_on_created_at_across_a_page_boundary():
    records = [Record(i, at(0)) for i in (4, 8, 15, 16, 23, 42)]
    first = paginate(records, limit=4)
    assert ids(first) == [4, 8, 15, 16]
    second = paginate(records, limit=4, cursor=first.next_cursor)
    assert ids(second) == [23, 42]
    assert second.next_cursor is None


def test_a_full_last_page_has_no_next_cursor():
    records = [Record(i, at(i)) for i in range(1, 7)]
    first = paginate(records, limit=3)
    second = paginate(records, limit=3, cursor=first.next_cursor)
    assert ids(second) == [4, 5, 6]
    assert second.next_cursor is None
    assert paginate(records, limit=6).next_cursor is None


def test_empty_store():
    page = paginate([], limit=10)
    assert page.items == []
    assert page.next_cursor is None


def test_records_may_be_any_iterable():
    records = store(count=12)
    page = paginate((r for r in records), limit=5)
    assert ids(page) == expected_order(records)[:5]
    page = paginate(iter(records), limit=5, cursor=page.next_cursor)
    assert ids(page) == expected_order(records)[5:10]


def test_inserts_between_pages_neither_duplicate_nor_skip():
    records = [Record(i, at(i)) for i in range(10, 20)]
    first = paginate(records, limit=4)
    assert ids(first) == [10, 11, 12, 13]
    records += [Record(1, at(0)), Record(2, at(13)), Record(99, at(13, 1)), Record(3, at(25))]
    second = paginate(records, limit=4, cursor=first.next_cursor)
    # (13, id 2) sorts before the position (13, id 13): not shown; (13.000001, 99) after it
    assert ids(second) == [99, 14, 15, 16]
    third = paginate(records, limit=4, cursor=second.next_cursor)
    assert ids(third) == [17, 18, 19, 3]
    assert third.next_cursor is None


def test_deleting_records_between_pages():
    records = [Record(i, at(i)) for i in range(1, 11)]
    first = paginate(records, limit=3)
    assert ids(first) == [1, 2, 3]
    records = [r for r in records if r.id not in (2, 3, 5)]  # including the cursor's own record
    second = paginate(records, limit=3, cursor=first.next_cursor)
    assert ids(second) == [4, 6, 7]


def test_a_cursor_always_means_the_same_position():
    records = store(count=20)
    cursor = paginate(records, limit=6).next_cursor
    again = paginate(list(records), limit=6, cursor=cursor)
    assert ids(again) == ids(paginate(records, limit=6, cursor=cursor))
    assert ids(again) == expected_order(records)[6:12]


def test_cursor_keeps_microseconds():
    records = [Record(1, at(5, 1)), Record(2, at(5, 2)), Record(3, at(5, 3)), Record(4, at(5, 999_999))]
    first = paginate(records, limit=1)
    assert ids(first) == [1]
    second = paginate(records, limit=2, cursor=first.next_cursor)
    assert ids(second) == [2, 3]
    third = paginate(records, limit=2, cursor=second.next_cursor)
    assert ids(third) == [4]
    assert third.next_cursor is None


def test_descending_order_with_ties():
    records = [Record(i, at(i // 3)) for i in range(12)]  # three records per second
    random.Random(3).shuffle(records)
    first = paginate(records, limit=5, descending=True)
    assert ids(first) == [11, 10, 9, 8, 7]
    records.append(Record(50, at(99)))  # newer than everything: already behind the walk
    second = paginate(records, limit=5, descending=True, cursor=first.next_cursor)
    assert ids(second) == [6, 5, 4, 3, 2]
    third = paginate(records, limit=5, descending=True, cursor=second.next_cursor)
    assert ids(third) == [1, 0]
    assert third.next_cursor is None


def test_descending_walk_is_the_exact_reverse():
    records = store(seed=11, count=33)
    seen, _ = walk(records, 4, descending=True)
    assert seen == expected_order(records, descending=True)


def test_cursor_is_a_url_safe_string():
    records = store(count=30)
    cursor = None
    for _ in range(5):
        page = paginate(records, limit=5, cursor=cursor)
        cursor = page.next_cursor
        assert isinstance(cursor, str)
        assert re.fullmatch(r"[A-Za-z0-9_=-]+", cursor)


def test_cursor_of_the_other_direction_is_rejected():
    records = store(count=10)
    ascending = paginate(records, limit=3).next_cursor
    descending = paginate(records, limit=3, descending=True).next_cursor
    with pytest.raises(InvalidCursor):
        paginate(records, limit=3, cursor=ascending, descending=True)
    with pytest.raises(InvalidCursor):
        paginate(records, limit=3, cursor=descending)


@pytest.mark.parametrize("cursor", ["", "***", "not a cursor", "a", "%7B%7D", "eyJ0Ijo\n"])
def test_malformed_cursors_are_rejected(cursor):
    with pytest.raises(InvalidCursor):
        paginate(store(count=10), limit=3, cursor=cursor)


@pytest.mark.parametrize("limit", [0, -1, 101, 1000])
def test_limit_out_of_range_is_rejected(limit):
    with pytest.raises(ValueError):
        paginate(store(count=10), limit=limit)
