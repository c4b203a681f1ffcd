"""`/api/v1/items`: the example resource. Routes translate HTTP; the service decides."""

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from ...domain.items.entities import Item
from ..deps import Items, Pagination
from ..problems import problem_docs
from ..schemas.items import ItemCreate, ItemOut, ItemUpdate
from ..schemas.pagination import PageMeta, PageOut

router = APIRouter(prefix="/api/v1/items", tags=["items"], responses=problem_docs(422))


@router.post(
    "",
    response_model=ItemOut,
    status_code=status.HTTP_201_CREATED,
    responses={201: {"headers": {"Location": {"description": "The new item's URL"}}}},
)
async def create_item(body: ItemCreate, items: Items, request: Request, response: Response) -> Item:
    item = await items.create(body.to_entity())
    response.headers["Location"] = request.app.url_path_for("read_item", item_id=str(item.id))
    return item


@router.get("", response_model=PageOut[ItemOut])
async def list_items(items: Items, page: Pagination) -> PageOut[ItemOut]:
    found = await items.list(page)
    return PageOut[ItemOut](
        data=[ItemOut.model_validate(item) for item in found.items],
        meta=PageMeta(total=found.total, limit=page.limit, offset=page.offset),
    )


@router.get("/{item_id}", response_model=ItemOut, responses=problem_docs(404))
async def read_item(item_id: UUID, items: Items) -> Item:
    return await items.get(item_id)


@router.patch("/{item_id}", response_model=ItemOut, responses=problem_docs(404))
async def update_item(item_id: UUID, body: ItemUpdate, items: Items) -> Item:
    return await items.update(item_id, body.to_changes())


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_docs(404))
async def delete_item(item_id: UUID, items: Items) -> None:
    await items.delete(item_id)
