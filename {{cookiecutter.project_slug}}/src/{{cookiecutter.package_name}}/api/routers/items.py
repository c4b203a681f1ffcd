"""`/api/v1/items`: the example resource. Routes translate HTTP; the service decides."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status

from ...domain.actor import Actor
from ...domain.items.entities import Item
from ..deps import Items, Pagination, prefetch_item
from ..problems import problem_docs
from ..schemas.items import ItemCreate, ItemOut, ItemUpdate
from ..schemas.pagination import PageMeta, PageOut
from ..security import require

router = APIRouter(prefix="/api/v1/items", tags=["items"], responses=problem_docs(401, 403, 422))

# Which items the actor sees or changes (their own, or all) is the service's decision.
Reader = Annotated[Actor, Depends(require("items:read"))]
Writer = Annotated[Actor, Depends(require("items:write"))]


@router.post(
    "",
    response_model=ItemOut,
    status_code=status.HTTP_201_CREATED,
    responses={201: {"headers": {"Location": {"description": "The new item's URL"}}}},
)
async def create_item(
    body: ItemCreate, actor: Writer, items: Items, request: Request, response: Response
) -> Item:
    item = await items.create(body.to_entity(owner_id=actor.user_id))
    response.headers["Location"] = request.app.url_path_for("read_item", item_id=str(item.id))
    return item


@router.get("", response_model=PageOut[ItemOut])
async def list_items(actor: Reader, items: Items, page: Pagination) -> PageOut[ItemOut]:
    found = await items.list(actor, page)
    return PageOut[ItemOut](
        data=[ItemOut.model_validate(item) for item in found.items],
        meta=PageMeta(total=found.total, limit=page.limit, offset=page.offset),
    )


@router.get(
    "/{item_id}",
    response_model=ItemOut,
    responses=problem_docs(404),
    # Before `Reader` (authentication): the item's cache lookup rides along with the session's.
    dependencies=[Depends(prefetch_item)],
)
async def read_item(item_id: UUID, actor: Reader, items: Items) -> Item:
    return await items.get(actor, item_id)


@router.patch("/{item_id}", response_model=ItemOut, responses=problem_docs(404))
async def update_item(item_id: UUID, body: ItemUpdate, actor: Writer, items: Items) -> Item:
    return await items.update(actor, item_id, body.to_changes())


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_docs(404))
async def delete_item(item_id: UUID, actor: Writer, items: Items) -> None:
    await items.delete(actor, item_id)
