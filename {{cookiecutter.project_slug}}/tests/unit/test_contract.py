"""The contract comparison on small documents: every breaking change is named as breaking, and
additions are not. Schemas sit behind `$ref`s to components, as FastAPI writes them."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ..contract import OTHER_DETAILS, compare_documents, report
from ..contract_schemas import Json

ITEM_REF = {"$ref": "#/components/schemas/Item"}


def content(schema: Json) -> Json:
    return {"content": {"application/json": {"schema": schema}}}


def document() -> Json:
    """An items API: list, create, read and delete, with one nested and one recursive schema."""
    item_id = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Items", "version": "1.0.0"},
        "paths": {
            "/items": {
                "get": {
                    "parameters": [limit],
                    "responses": {"200": content({"type": "array", "items": ITEM_REF})},
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        **content({"$ref": "#/components/schemas/ItemCreate"}),
                    },
                    "responses": {"201": content(ITEM_REF), "422": {"description": "Invalid"}},
                },
            },
            "/items/{item_id}": {
                "get": {
                    "parameters": [item_id],
                    "responses": {"200": content(ITEM_REF), "404": {"description": "Not found"}},
                },
                "delete": {"parameters": [item_id], "responses": {"204": {"description": "Gone"}}},
            },
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "price": {"type": "number"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "tag": {"$ref": "#/components/schemas/Tag"},
                    },
                    "required": ["id", "price", "status", "tag"],
                },
                "Tag": {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string"},
                        "parent": {
                            "anyOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]
                        },
                    },
                    "required": ["label"],
                },
                "ItemCreate": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 100},
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "status": {"$ref": "#/components/schemas/Status"},
                    },
                    "required": ["name"],
                },
                "Status": {"type": "string", "enum": ["draft", "published"]},
            }
        },
    }


def changed(change: Callable[[Json, Json], Any]) -> Json:
    """The document after `change(document, its component schemas)`."""
    served = copy.deepcopy(document())
    change(served, served["components"]["schemas"])
    return served


BREAKING: dict[str, tuple[Callable[[Json, Json], Any], str]] = {
    "removed path": (
        lambda doc, _: doc["paths"].pop("/items/{item_id}"),
        "removed path /items/{item_id} (GET DELETE)",
    ),
    "removed operation": (
        lambda doc, _: doc["paths"]["/items/{item_id}"].pop("delete"),
        "removed operation DELETE /items/{item_id}",
    ),
    "removed response field": (
        lambda _, schemas: schemas["Item"]["properties"].pop("price"),
        "GET /items/{item_id} response 200: removed response field `price`",
    ),
    "removed nested response field": (
        lambda _, schemas: schemas["Tag"]["properties"].pop("label"),
        "GET /items response 200: removed response field `[].tag.label`",
    ),
    "response field no longer always there": (
        lambda _, schemas: schemas["Item"]["required"].remove("price"),
        "GET /items/{item_id} response 200: response field `price` may now be absent",
    ),
    "response field may now be null": (
        lambda _, schemas: schemas["Item"]["properties"]["price"].update(type=["number", "null"]),
        "GET /items/{item_id} response 200: `price` may now be null",
    ),
    "response enum gained a value": (
        lambda _, schemas: schemas["Status"]["enum"].append("archived"),
        'GET /items/{item_id} response 200: `status` enum gained "archived"',
    ),
    "request field newly required": (
        lambda _, schemas: schemas["ItemCreate"]["required"].append("note"),
        "POST /items request: request field `note` newly required",
    ),
    "request field added as required": (
        lambda _, schemas: (
            schemas["ItemCreate"]["properties"].update(sku={"type": "string"}),
            schemas["ItemCreate"]["required"].append("sku"),
        ),
        "POST /items request: added required request field `sku`",
    ),
    "request type narrowed": (
        lambda _, schemas: schemas["ItemCreate"]["properties"].update(note={"type": "string"}),
        "POST /items request: `note` no longer accepts null",
    ),
    "request enum narrowed": (
        lambda _, schemas: schemas["Status"]["enum"].remove("published"),
        'POST /items request: `status` enum narrowed: lost "published"',
    ),
    "response enum dropped": (
        lambda _, schemas: schemas["Status"].pop("enum"),
        "GET /items/{item_id} response 200: `status` enum dropped: any value now",
    ),
    "request bound tightened": (
        lambda _, schemas: schemas["ItemCreate"]["properties"]["name"].update(maxLength=50),
        "POST /items request: `name` maxLength narrowed to 50",
    ),
    "operation now requires authentication": (
        lambda doc, _: doc["paths"]["/items"]["get"].update(security=[{"OAuth2": []}]),
        "GET /items: now requires authentication",
    ),
    "removed status code": (
        lambda doc, _: doc["paths"]["/items/{item_id}"]["get"]["responses"].pop("404"),
        "GET /items/{item_id}: removed status 404",
    ),
    "removed parameter": (
        lambda doc, _: doc["paths"]["/items"]["get"]["parameters"].clear(),
        "GET /items: removed query parameter `limit`",
    ),
    "parameter made required": (
        lambda doc, _: doc["paths"]["/items"]["get"]["parameters"][0].update(required=True),
        "GET /items: query parameter `limit` made required",
    ),
    "added required parameter": (
        lambda doc, _: doc["paths"]["/items"]["get"]["parameters"].append(
            {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        "GET /items: added required query parameter `owner`",
    ),
}


@pytest.mark.parametrize(("change", "named"), BREAKING.values(), ids=BREAKING.keys())
def test_a_breaking_change_is_named_as_breaking(
    change: Callable[[Json, Json], Any], named: str
) -> None:
    changes = compare_documents(document(), changed(change))

    assert named in changes.breaking


def test_additions_are_not_breaking() -> None:
    def add_things(doc: Json, schemas: Json) -> None:
        doc["paths"]["/tags"] = {"get": {"responses": {"200": {"description": "Tags"}}}}
        doc["paths"]["/items"]["get"]["parameters"].append(
            {"name": "name", "in": "query", "schema": {"type": "string"}}
        )
        doc["paths"]["/items/{item_id}"]["get"]["responses"]["304"] = {"description": "Same"}
        schemas["Item"]["properties"]["created_at"] = {"type": "string"}
        schemas["ItemCreate"]["properties"]["name"]["maxLength"] = 200
        schemas["ItemCreate"]["required"].remove("name")

    changes = compare_documents(document(), changed(add_things))

    assert changes.breaking == []
    assert {
        "added path /tags",
        "GET /items: added optional query parameter `name`",
        "GET /items/{item_id}: added status 304",
        "GET /items/{item_id} response 200: added response field `created_at`",
        "POST /items request: request field `name` now optional",
        "POST /items request: `name` maxLength widened to 200",
    } <= set(changes.non_breaking)


def test_the_same_document_has_no_changes() -> None:
    changes = compare_documents(document(), document())

    assert (changes.breaking, changes.non_breaking) == ([], [])


def test_a_changed_description_is_a_change_but_not_a_breaking_one() -> None:
    served = changed(lambda doc, _: doc["info"].update(description="Now described"))

    changes = compare_documents(document(), served)

    assert changes.breaking == []
    assert changes.non_breaking == [OTHER_DETAILS]


def test_a_recursive_schema_is_compared_without_looping() -> None:
    served = changed(lambda _, schemas: schemas["Tag"]["properties"].pop("label"))

    changes = compare_documents(document(), served)

    assert (
        "GET /items/{item_id} response 200: removed response field `tag.label`" in changes.breaking
    )


def test_the_report_names_breaking_changes_and_says_how_to_accept_them() -> None:
    def remove_a_path_and_add_a_field(doc: Json, schemas: Json) -> None:
        del doc["paths"]["/items/{item_id}"]
        schemas["Item"]["properties"]["sku"] = {"type": "string"}

    served = changed(remove_a_path_and_add_a_field)

    message = report(compare_documents(document(), served), "openapi.json", "src/x/__init__.py")

    assert "BREAKING changes" in message
    assert "  - removed path /items/{item_id} (GET DELETE)" in message
    assert "  - GET /items response 200: added response field `[].sku`" in message
    assert "run `make openapi` and commit openapi.json" in message
    assert "new major version (`__version__` in src/x/__init__.py" in message


def test_a_report_of_additions_only_asks_for_no_new_version() -> None:
    served = changed(lambda doc, _: doc["paths"].update({"/tags": {"get": {"responses": {}}}}))

    message = report(compare_documents(document(), served), "openapi.json", "src/x/__init__.py")

    assert "BREAKING" not in message
    assert "  - added path /tags" in message
    assert "major version" not in message
