"""Outgoing mail, as the domain sees it: a port whose default adapter only logs."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    async def send(self, email: Email) -> None:
        """Raises on failure, so that the task retries it."""
        ...
