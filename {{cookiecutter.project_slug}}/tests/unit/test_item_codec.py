"""The item's cache entry schema: JSON that round-trips every field exactly."""

import json
from dataclasses import fields
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from {{ cookiecutter.package_name }}.domain.items.entities import Item
from {{ cookiecutter.package_name }}.infrastructure.cache.codecs import ItemCodec

ITEM = Item(
    name="lamp",
    price=Decimal("9999999999.99"),
    owner_id=uuid4(),
    description=None,
    created_at=datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC),
)


def test_an_item_survives_the_round_trip_through_json_text() -> None:
    codec = ItemCodec()

    text = json.dumps(codec.to_json(ITEM))

    assert codec.from_json(json.loads(text)) == ITEM


def test_the_schema_names_every_field_of_the_item() -> None:
    # A new field on Item fails here: add it to the codec and bump `schema_version`.
    assert set(ItemCodec().to_json(ITEM)) == {field.name for field in fields(Item)}


def test_money_travels_as_a_string() -> None:
    assert ItemCodec().to_json(ITEM)["price"] == "9999999999.99"
