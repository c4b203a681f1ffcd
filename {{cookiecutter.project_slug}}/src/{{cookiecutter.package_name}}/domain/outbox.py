"""The transactional outbox: messages for the worker, written in the transaction of their cause.

A use case that must start background work (run a job, send a mail) adds a message to
`uow.outbox` inside its unit of work. The message commits or rolls back with the rest, so there
is never a job without its message or a message without its job. A relay (infrastructure/queue)
hands committed messages to the broker afterwards; a broker outage delays them, never loses them.

Delivery is at least once: a message can reach the worker twice (a relay that crashed after
publishing, a broker redelivering after a worker died). Every handler is idempotent for that.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol
from uuid import UUID, uuid4

from .clock import utc_now

# What a message asks the worker to do: the name of the task that handles it.
RUN_JOB: Final = "jobs.run"
SEND_WELCOME_EMAIL: Final = "mail.welcome"
SEND_PASSWORD_RESET_EMAIL: Final = "mail.password_reset"  # noqa: S105 - a task name
ERASE_ACCOUNT: Final = "privacy.erase_account"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    topic: str
    payload: Mapping[str, str]  # JSON-safe: ids as strings
    id: UUID = field(default_factory=uuid4)  # also the task id: the broker's dedup handle
    created_at: datetime = field(default_factory=utc_now)


class Outbox(Protocol):
    async def add(self, message: OutboxMessage) -> None: ...

    async def purge_sent(self, before: datetime, limit: int) -> int:
        """Deletes up to `limit` messages sent before `before`; returns how many."""
        ...


class ProcessedMessages(Protocol):
    """Which messages a handler has already acted on: the idempotency of effects that are not
    a state transition (a mail). Claimed in the transaction that records the effect."""

    async def claim(self, message_id: UUID) -> bool:
        """`True` the first time for `message_id`; `False` if it was claimed before."""
        ...

    async def purge(self, before: datetime, limit: int) -> int: ...
