"""The paging vocabulary: page requests, sort orders, cursors, and the page a repository
returns, on in-memory rows (tests/unit/fakes.py says the SQL's order with `sorted`)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.pagination import (
    NEWEST_FIRST,
    Cursor,
    InvalidCursorError,
    InvalidSortError,
    PageRequest,
    Sorting,
    SortOrder,
)

from .fakes import page_in_memory

SORTING = Sorting({"created_at": datetime, "name": str, "price": Decimal})
NOON = datetime(2026, 12, 5, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    name: str
    created_at: datetime
    price: Decimal = Decimal("1.00")
    id: UUID = field(default_factory=uuid4)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (10, -1)])
def test_out_of_range_page_requests_are_refused(limit: int, offset: int) -> None:
    with pytest.raises(ValueError, match="invalid page request"):
        PageRequest(limit=limit, offset=offset)


def test_defaults_are_the_first_twenty_newest_first() -> None:
    assert PageRequest() == PageRequest(limit=20, offset=0, order=NEWEST_FIRST, after=None)


def test_a_sort_names_a_field_and_a_direction() -> None:
    assert SORTING.parse("price") == SortOrder("price")
    assert SORTING.parse("-price") == SortOrder("price", descending=True)
    assert str(SORTING.parse("-price")) == "-price"


@pytest.mark.parametrize("text", ["owner_id", "-password_hash", "", "--name", "name "])
def test_a_field_off_the_allow_list_is_refused_naming_the_allowed(text: str) -> None:
    with pytest.raises(InvalidSortError, match="one of created_at, name, price"):
        SORTING.parse(text)


@pytest.mark.parametrize("value", [NOON, Decimal("19.99"), 'l\'ampe "100%" ünïcode', "l\\a\\m/p"])
def test_a_cursor_reads_back_as_it_was_written(value: datetime | Decimal | str) -> None:
    field_name = {datetime: "created_at", Decimal: "price", str: "name"}[type(value)]
    cursor = Cursor(SortOrder(field_name, descending=True), value, uuid4())

    assert Cursor.decode(cursor.encode(), SORTING) == cursor


def test_a_cursor_is_opaque_url_safe_text() -> None:
    token = Cursor(NEWEST_FIRST, NOON, uuid4()).encode()

    assert token.replace("-", "").replace("_", "").isalnum()
    assert "created_at" not in token


def test_an_edited_or_cut_cursor_is_refused() -> None:
    token = Cursor(NEWEST_FIRST, NOON, uuid4()).encode()
    edited = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]

    for bad in [edited, token[:-3], "", "not a cursor", "%%%", token + "AAAA"]:
        with pytest.raises(InvalidCursorError):
            Cursor.decode(bad, SORTING)


def test_a_cursor_for_a_field_this_listing_does_not_sort_by_is_refused() -> None:
    token = Cursor(SortOrder("email"), "ann@example.com", uuid4()).encode()

    with pytest.raises(InvalidCursorError):
        Cursor.decode(token, SORTING)


def test_a_cursor_continues_only_the_order_it_came_from() -> None:
    cursor = Cursor(SortOrder("name"), "lamp", uuid4())

    with pytest.raises(InvalidCursorError, match="sorted by `name`"):
        PageRequest(order=NEWEST_FIRST, after=cursor)
    with pytest.raises(InvalidCursorError, match="not both"):
        PageRequest(order=SortOrder("name"), after=cursor, offset=5)


def test_the_last_page_has_no_next_cursor() -> None:
    rows = [Row(f"row {n}", NOON + timedelta(seconds=n)) for n in range(3)]

    page = page_in_memory(rows, PageRequest(limit=3))

    assert (len(page.items), page.total, page.next) == (3, 3, None)


def test_walking_the_cursors_visits_every_row_once_in_order_even_with_ties() -> None:
    # Five rows share one timestamp: only the id tells them apart, and the cursor keeps it.
    rows = [Row(f"row {n}", NOON + timedelta(seconds=min(n, 5))) for n in range(12)]
    expected = sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True)

    seen: list[Row] = []
    request = PageRequest(limit=5)
    while True:
        page = page_in_memory(rows, request)
        seen.extend(page.items)
        if page.next is None:
            break
        assert page.next == Cursor(NEWEST_FIRST, page.items[-1].created_at, page.items[-1].id)
        request = PageRequest(limit=5, after=page.next)

    assert seen == expected


def test_rows_inserted_before_the_cursor_do_not_shift_the_next_page() -> None:
    rows = [Row(f"row {n}", NOON + timedelta(seconds=n)) for n in range(6)]
    first = page_in_memory(rows, PageRequest(limit=3))
    newer = [Row("newest", NOON + timedelta(hours=1)), *rows]

    second = page_in_memory(newer, PageRequest(limit=3, after=first.next))

    assert [row.name for row in [*first.items, *second.items]] == [
        f"row {n}" for n in reversed(range(6))
    ]
