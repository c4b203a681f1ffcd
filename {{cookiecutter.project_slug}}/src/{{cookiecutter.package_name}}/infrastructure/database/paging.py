"""A page request (domain/pagination.py) said in SQL: the order, the keyset, the window.

Keyset paging compares the row value `(sort column, id)` with the cursor's, so the page starts
right after the last row the caller saw, whatever was inserted or deleted since: no row is
skipped or shown twice, and an index on the sort column finds the start without counting rows
the way `OFFSET` does.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from ...domain.pagination import PageRequest

R = TypeVar("R")
Column = InstrumentedAttribute[Any]


def paged(
    query: Select[R], columns: Mapping[str, Column], row_id: Column, page: PageRequest
) -> Select[R]:
    """`query` in `page.order` (`columns` maps each sortable field to its column), starting
    after the cursor or at the offset, one row longer than the page: that row says whether
    another page follows (`page_of` in the domain)."""
    column = columns[page.order.field]
    if page.after is not None:
        position = tuple_(column, row_id)
        cursor = tuple_(literal(page.after.value, column.type), literal(page.after.id, row_id.type))
        query = query.where(position < cursor if page.order.descending else position > cursor)
    ordering = _ordering(column, row_id, descending=page.order.descending)
    return query.order_by(*ordering).limit(page.limit + 1).offset(page.offset)


def _ordering(column: Column, row_id: Column, *, descending: bool) -> list[ColumnElement[Any]]:
    if descending:
        return [column.desc(), row_id.desc()]
    return [column.asc(), row_id.asc()]
