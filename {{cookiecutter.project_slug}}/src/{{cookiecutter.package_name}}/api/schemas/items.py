"""Item bodies. Unknown fields are rejected, so a client cannot set what the API does not offer."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from ...domain.items.entities import (
    CENT,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PRICE_MAX,
    UNSET,
    Item,
    ItemChanges,
)
from ...domain.items.ports import ItemFilter
from .price_text import PriceText
from .storable import STORABLE, STORABLE_NOT_BLANK

ItemName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    STORABLE_NOT_BLANK,
]
ItemDescription = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH), STORABLE]
Price = Annotated[
    Decimal,
    Field(ge=0, le=PRICE_MAX, decimal_places=2, examples=["19.99"]),
    AfterValidator(lambda price: price.quantize(CENT)),  # "1.5" is stored and shown as "1.50"
    PriceText(),
]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ItemName
    description: ItemDescription | None = None
    price: Price

    def to_entity(self, owner_id: UUID) -> Item:
        return Item(
            name=self.name, description=self.description, price=self.price, owner_id=owner_id
        )


class ItemUpdate(BaseModel):
    """A partial update: absent fields stay as they are; `description: null` clears it."""

    # minProperties: the document's word for "at least one" (checked below).
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    # Absent is "unchanged"; null is refused (below), so the document offers no null for them.
    name: ItemName | SkipJsonSchema[None] = None
    description: ItemDescription | None = None
    price: Price | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def require_a_change(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one of name, description, price")
        for field in ("name", "price"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def to_changes(self) -> ItemChanges:
        return ItemChanges(
            name=self.name,
            price=self.price,
            description=self.description if "description" in self.model_fields_set else UNSET,
        )


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    owner_id: UUID
    name: str
    description: str | None
    price: Decimal
    created_at: datetime
    updated_at: datetime


async def item_filter(
    name: Annotated[
        str | None,
        Query(
            max_length=NAME_MAX_LENGTH,
            description="Only items whose name contains this, "
            "ignoring case; `%` and `_` match themselves.",
        ),
    ] = None,
    min_price: Annotated[
        Price | None, Query(description="Only items costing at least this.")
    ] = None,
    max_price: Annotated[
        Price | None, Query(description="Only items costing at most this.")
    ] = None,
) -> ItemFilter:
    return ItemFilter(name_contains=name, min_price=min_price, max_price=max_price)
