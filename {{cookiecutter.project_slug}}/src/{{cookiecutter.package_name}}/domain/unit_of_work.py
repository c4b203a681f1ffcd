"""One atomic piece of work across repositories: everything commits together or not at all."""

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from .audit.ports import AuditLog
from .auth.ports import PasswordResetTokenRepository, RefreshTokenRepository
from .idempotency import IdempotencyRecords
{%- if cookiecutter.include_example_domain == "y" %}
from .items.ports import ItemRepository
{%- endif %}
from .jobs.ports import JobRepository
from .outbox import Outbox, ProcessedMessages
from .privacy.ports import PersonalData
from .service_clients.ports import ServiceClientRepository
from .users.ports import UserRepository


class UnitOfWork(Protocol):
    """Leaving the `async with` block without `commit()` rolls back.

    Repositories are usable only inside the block, where they share one transaction.
    """

    def read_only(self) -> "UnitOfWork":
        """A unit of work for a block that only reads, and never commits. Where the database
        allows it, its queries run without a transaction to begin and roll back: a one-query
        read then costs one round trip instead of three. Reads that must agree with each other
        (a check, then a write that relies on it) belong in an ordinary unit of work."""
        ...

    def joined(self) -> "UnitOfWork":
        """A unit of work inside this one's open transaction, for a use case that must share
        it (an idempotency record and its effect: docs/idempotency.md). Entering and leaving it
        do nothing and its `commit()` is left to this one, so a use case that acts after its
        commit (forgets a cache entry) must not run joined: it would act before the commit."""
        ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def password_reset_tokens(self) -> PasswordResetTokenRepository: ...

    @property
    def jobs(self) -> JobRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def processed_messages(self) -> ProcessedMessages: ...

    @property
    def idempotency_records(self) -> IdempotencyRecords: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def personal_data(self) -> PersonalData: ...

    @property
    def service_clients(self) -> ServiceClientRepository: ...
{%- if cookiecutter.include_example_domain == "y" %}

    @property
    def items(self) -> ItemRepository: ...
{%- endif %}

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


# How services outside a request (the worker's) get a fresh unit of work for each transaction.
UnitOfWorkFactory = Callable[[], UnitOfWork]
