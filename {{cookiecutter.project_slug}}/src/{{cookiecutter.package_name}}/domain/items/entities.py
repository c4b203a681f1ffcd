"""The item entity and the rules every item obeys, whoever changes it."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Final, Literal
from uuid import UUID, uuid4

from ..clock import utc_now
from .errors import InvalidItemError

NAME_MAX_LENGTH: Final = 200
DESCRIPTION_MAX_LENGTH: Final = 2000
PRICE_MAX: Final = Decimal("9999999999.99")
CENT: Final = Decimal("0.01")


class Unset(Enum):
    """Marks a field a partial update leaves alone (distinct from `None`, which clears it)."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    price: Decimal
    owner_id: UUID  # the user who created it; others see it only with `items:read:any`
    description: str | None = None
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    # One more on every change: the ETag clients send back in `If-Match` (docs/for-callers.md).
    version: int = 1

    def __post_init__(self) -> None:
        _check_name(self.name)
        _check_price(self.price)
        if self.description is not None and len(self.description) > DESCRIPTION_MAX_LENGTH:
            raise InvalidItemError(f"description exceeds {DESCRIPTION_MAX_LENGTH} characters")

    def with_changes(self, changes: "ItemChanges") -> "Item":
        """A copy with the changes applied and the invariants checked again."""
        return replace(
            self,
            name=self.name if changes.name is None else changes.name,
            price=self.price if changes.price is None else changes.price,
            description=self.description if changes.description is UNSET else changes.description,
            updated_at=utc_now(),
            version=self.version + 1,
        )


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """A partial update: `None` name or price means unchanged; description may be cleared."""

    name: str | None = None
    price: Decimal | None = None
    description: str | Literal[Unset.UNSET] | None = UNSET


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > NAME_MAX_LENGTH:
        raise InvalidItemError(f"name must be 1 to {NAME_MAX_LENGTH} characters, not blank")


def _check_price(price: Decimal) -> None:
    # Prices are whole cents: storage keeps integer cents so sums are exact on every database.
    if not price.is_finite() or price < 0 or price > PRICE_MAX or price != price.quantize(CENT):
        raise InvalidItemError(f"price must be between 0 and {PRICE_MAX} in whole cents")
