"""The envelope every list endpoint returns, and the query parameters that drive it."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from ...domain.errors import InvalidInputError
from ...domain.pagination import (
    DEFAULT_PAGE_LIMIT,
    MAX_PAGE_LIMIT,
    Cursor,
    InvalidSortError,
    Page,
    PageRequest,
    Sorting,
)

T = TypeVar("T")
PageDependency = Callable[..., Coroutine[Any, Any, PageRequest]]


class PageMeta(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = Field(
        default=None,
        description="Pass as `cursor` (with the same `sort` and filters) for the next page; "
        "null on the last page.",
    )


class PageOut(BaseModel, Generic[T]):
    data: list[T]
    meta: PageMeta

    @classmethod
    def of(cls, page: Page[Any], data: list[T]) -> "PageOut[T]":
        request = page.request
        cursor = None if page.next is None else page.next.encode()
        meta = PageMeta(total=page.total, limit=request.limit, offset=request.offset, next=cursor)
        return cls(data=data, meta=meta)


def page_query(sorting: Sorting) -> PageDependency:
    """The paging parameters of a listing that may be sorted as `sorting` allows."""
    sort_description = (
        f"One of {', '.join(sorting.fields)}; prefix `-` for descending. Ties go by `id`."
    )

    async def page_request(
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT,
        offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
        sort: Annotated[
            str,
            Query(description=sort_description, json_schema_extra={"enum": sorting.choices}),
        ] = str(sorting.default),
        cursor: Annotated[
            str | None,
            Query(max_length=1000, description="`meta.next` of the previous page."),
        ] = None,
    ) -> PageRequest:
        try:
            order = sorting.parse(sort)
        except InvalidSortError as error:
            raise _invalid("sort", error) from error
        try:
            after = None if cursor is None else Cursor.decode(cursor, sorting)
            return PageRequest(limit=limit, offset=offset, order=order, after=after)
        except InvalidInputError as error:
            raise _invalid("cursor", error) from error

    return page_request


def _invalid(parameter: str, error: InvalidInputError) -> RequestValidationError:
    # A 422 like any other invalid parameter: the problem's `errors` names the field.
    return RequestValidationError(
        [{"loc": ("query", parameter), "msg": error.detail, "type": error.code}]
    )
