"""The envelope every list endpoint returns, and the query parameters that drive it."""

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from ...domain.pagination import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, PageRequest

T = TypeVar("T")


class PageMeta(BaseModel):
    total: int
    limit: int
    offset: int


class PageOut(BaseModel, Generic[T]):
    data: list[T]
    meta: PageMeta


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)
