"""What can go wrong with items."""

from uuid import UUID

from ..errors import InvalidInputError, NotFoundError, PreconditionFailedError


class ItemNotFoundError(NotFoundError):
    code = "item-not-found"

    def __init__(self, item_id: UUID) -> None:
        super().__init__(f"Item {item_id} does not exist.")
        self.item_id = item_id


class InvalidItemError(InvalidInputError):
    code = "invalid-item"


class ItemChangedError(PreconditionFailedError):
    """The item is no longer at the version the caller said it expected (`If-Match`)."""

    code = "item-changed"

    def __init__(self, item_id: UUID) -> None:
        super().__init__(
            f"Item {item_id} has changed since you read it: read it again, then retry with its "
            "new ETag."
        )
        self.item_id = item_id
