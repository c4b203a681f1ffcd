"""`/api/v1/items`: the example resource. Routes translate HTTP; the service decides."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from ...domain.items.entities import Item
from ...domain.items.service import ItemService
from ..deps import ItemCreator, ItemFilterDep, ItemPage, ItemReader, ItemWriter
from ..entity_tags import IfMatch, IfNoneMatch, entity_tag, expected_versions, none_match
from ..idempotency import idempotent_responses, json_response
from ..problems import problem_docs
from ..schemas.items import ItemCreate, ItemOut, ItemUpdate
from ..schemas.pagination import PageOut

router = APIRouter(
    prefix="/api/v1/items", tags=["items"], responses=problem_docs(401, 403, 422, 429)
)

ETAG_HEADER = {
    "description": "The item's version, for `If-(None-)Match`",
    "schema": {"type": "string"},
}
WITH_ETAG: dict[int | str, dict[str, Any]] = {200: {"headers": {"ETag": ETAG_HEADER}}}


# The read first: FastAPI tries a router's routes in order, twice per request (to match, then
# to handle), and each route passed over costs the cached read about 20,000 instructions
# (`make bench-instructions`; docs/adr/0005-measured-tuning.md).
@router.get(
    "/{item_id}",
    response_model=ItemOut,
    responses={**WITH_ETAG, 304: {"description": "Not Modified"}, **problem_docs(404)},
)
async def read_item(
    item_id: UUID, caller: ItemReader, if_none_match: IfNoneMatch = None
) -> Response:
    item = await caller.service.get(caller.actor, item_id)
    tag = entity_tag(item.version)
    if if_none_match is not None and not none_match(if_none_match, item.version):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    # The answer built here, body and ETag together: FastAPI's `response: Response` parameter
    # and its response_model pass cost the cached read 22,000 instructions more (ADR 0005).
    # response_model above still documents the body.
    body = ItemOut.model_validate(item).model_dump_json()
    return Response(body, media_type="application/json", headers={"ETag": tag})


@router.post(
    "",
    response_model=ItemOut,
    status_code=status.HTTP_201_CREATED,
    responses=idempotent_responses(201, "The new item's URL"),
)
async def create_item(body: ItemCreate, caller: ItemCreator, request: Request) -> Response:
    async def create(items: ItemService) -> Response:
        item = await items.create(body.to_entity(owner_id=caller.actor.user_id))
        location = request.app.url_path_for("read_item", item_id=str(item.id))
        answer = json_response(ItemOut.model_validate(item), status.HTTP_201_CREATED, location)
        answer.headers["ETag"] = entity_tag(item.version)  # not kept for a replay
        return answer

    return await caller.respond(request, body, create)


@router.get("", response_model=PageOut[ItemOut])
async def list_items(caller: ItemReader, page: ItemPage, where: ItemFilterDep) -> PageOut[ItemOut]:
    found = await caller.service.list(caller.actor, page, where)
    return PageOut[ItemOut].of(found, [ItemOut.model_validate(item) for item in found.items])


@router.patch(
    "/{item_id}", response_model=ItemOut, responses={**WITH_ETAG, **problem_docs(404, 412)}
)
async def update_item(
    item_id: UUID,
    body: ItemUpdate,
    caller: ItemWriter,
    response: Response,
    if_match: IfMatch = None,
) -> Item:
    item = await caller.service.update(
        caller.actor, item_id, body.to_changes(), expected_versions=expected_versions(if_match)
    )
    response.headers["ETag"] = entity_tag(item.version)
    return item


@router.delete(
    "/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_docs(404, 412)
)
async def delete_item(item_id: UUID, caller: ItemWriter, if_match: IfMatch = None) -> None:
    await caller.service.delete(
        caller.actor, item_id, expected_versions=expected_versions(if_match)
    )
