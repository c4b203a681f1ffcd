"""Outgoing mail, as the domain sees it: a port whose default adapter only logs."""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    body: str
    # The outbox message that asked for this mail: the same on every retry of it, so an adapter
    # that can deduplicate (the webhook's Idempotency-Key) sends it once.
    message_id: UUID | None = None


class Mailer(Protocol):
    async def send(self, email: Email) -> None:
        """Raises on failure, so that the task retries it."""
        ...
