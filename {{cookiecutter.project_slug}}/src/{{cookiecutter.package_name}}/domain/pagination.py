"""Pages of a listing: how many rows, where the page starts (an offset, or a cursor after a row),
and in which order. The vocabulary only; the repositories say it in SQL (docs/for-callers.md)."""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, Protocol, TypeAlias, TypeVar
from uuid import UUID

from .errors import InvalidInputError

MAX_PAGE_LIMIT = 100
DEFAULT_PAGE_LIMIT = 20

# What a sortable field may hold. Only columns that are never null are offered: a keyset over
# nulls needs rules of its own, and no listing here needs one.
SortValue: TypeAlias = datetime | Decimal | str


class InvalidSortError(InvalidInputError):
    code = "invalid-sort"


class InvalidCursorError(InvalidInputError):
    code = "invalid-cursor"


@dataclass(frozen=True, slots=True)
class SortOrder:
    """One field, ascending or descending; ties are broken by `id` in the same direction, so
    that the order is total and a cursor names one position in it."""

    field: str
    descending: bool = False

    def __str__(self) -> str:
        return f"-{self.field}" if self.descending else self.field


NEWEST_FIRST = SortOrder("created_at", descending=True)


@dataclass(frozen=True, slots=True)
class Sorting:
    """The fields one listing may be sorted by, each with the type of its values."""

    fields: Mapping[str, type[SortValue]]
    default: SortOrder = NEWEST_FIRST

    @property
    def choices(self) -> list[str]:
        return [f"{prefix}{name}" for name in self.fields for prefix in ("", "-")]

    def parse(self, text: str) -> SortOrder:
        """`name` or `-name` (descending); a field off the allow-list raises, naming the list."""
        order = SortOrder(text.removeprefix("-"), descending=text.startswith("-"))
        if order.field not in self.fields:
            allowed = ", ".join(self.fields)
            raise InvalidSortError(
                f"Cannot sort by {text!r}: sort by one of {allowed}, with `-` for descending."
            )
        return order


BY_CREATION = Sorting({"created_at": datetime})


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page starts: right after the row with `value` (of the sort field) and `id`."""

    order: SortOrder
    value: SortValue
    id: UUID

    def encode(self) -> str:
        payload = json.dumps([str(self.order), _to_json(self.value), str(self.id)]).encode()
        # The digest catches a cursor that was edited or cut short. A forged one gains nothing:
        # it only names a position among the rows the caller may see anyway.
        return base64.urlsafe_b64encode(_digest(payload) + payload).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, sorting: Sorting) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            digest, payload = raw[:8], raw[8:]
            if digest != _digest(payload):
                raise ValueError("digest mismatch")
            order_text, value, row_id = json.loads(payload)
            order = sorting.parse(order_text)
            return cls(order, _from_json(value, sorting.fields[order.field]), UUID(row_id))
        except (ValueError, TypeError, InvalidOperation, binascii.Error, InvalidSortError) as e:
            raise InvalidCursorError(
                "The cursor is not one this listing gave out; use `meta.next` as it came."
            ) from e


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_PAGE_LIMIT
    offset: int = 0
    order: SortOrder = NEWEST_FIRST
    after: Cursor | None = None  # keyset paging: continue after this row

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_LIMIT or self.offset < 0:
            raise ValueError(f"invalid page request: limit={self.limit} offset={self.offset}")
        if self.after is not None and self.after.order != self.order:
            raise InvalidCursorError(
                f"The cursor continues a listing sorted by `{self.after.order}`, not by "
                f"`{self.order}`: send the same `sort` as the request that gave it."
            )
        if self.after is not None and self.offset:
            raise InvalidCursorError("Give a cursor or an offset, not both.")


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    request: PageRequest
    next: Cursor | None = field(default=None)  # None on the last page


class Identified(Protocol):
    @property
    def id(self) -> UUID: ...


E = TypeVar("E", bound=Identified)


def page_of(rows: Sequence[E], total: int, request: PageRequest) -> Page[E]:
    """The page from up to `limit + 1` rows read in order: the extra row, when there is one,
    only says that another page follows, so the cursor points after the last row shown."""
    shown = rows[: request.limit]
    if len(rows) <= request.limit:
        return Page(items=shown, total=total, request=request)
    last = shown[-1]
    value: SortValue = getattr(last, request.order.field)
    return Page(
        items=shown, total=total, request=request, next=Cursor(request.order, value, last.id)
    )


def _digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()[:8]


def _to_json(value: SortValue) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _from_json(value: Any, kind: type[SortValue]) -> SortValue:
    if not isinstance(value, str):
        raise TypeError("a cursor value is a string")
    if kind is datetime:
        return datetime.fromisoformat(value)
    return Decimal(value) if kind is Decimal else value
