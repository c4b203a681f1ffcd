"""How an item is written into a Redis cache entry (entry.py has the envelope, and why JSON).

Schema 1 (the entry's `value`):

    {"id": "<uuid>", "owner_id": "<uuid>", "name": "...", "description": "..." | null,
     "price": "19.99", "created_at": "<ISO 8601 UTC>", "updated_at": "<ISO 8601 UTC>"}

Change the shape, change `schema_version`: keys carry it, so old entries are simply not read.
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ...domain.items.entities import Item


class ItemCodec:
    schema_version = 1

    def to_json(self, item: Item) -> dict[str, Any]:
        return {
            "id": str(item.id),
            "owner_id": str(item.owner_id),
            "name": item.name,
            "description": item.description,
            "price": str(item.price),  # a string: JSON numbers are floats to most readers
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
        }

    def from_json(self, data: Mapping[str, Any]) -> Item:
        return Item(
            id=UUID(data["id"]),
            owner_id=UUID(data["owner_id"]),
            name=data["name"],
            description=data["description"],
            price=Decimal(data["price"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
        )
