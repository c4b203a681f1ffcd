"""What can go wrong with items."""

from uuid import UUID

from ..errors import InvalidInputError, NotFoundError


class ItemNotFoundError(NotFoundError):
    code = "item-not-found"

    def __init__(self, item_id: UUID) -> None:
        super().__init__(f"Item {item_id} does not exist.")
        self.item_id = item_id


class InvalidItemError(InvalidInputError):
    code = "invalid-item"
