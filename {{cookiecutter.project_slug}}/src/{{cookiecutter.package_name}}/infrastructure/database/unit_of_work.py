"""The unit of work over one SQLAlchemy session: the repositories share its transaction."""

import copy
from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from .audit_log import SqlAuditLog
from .engine import SessionFactories
from .idempotency_records import SqlIdempotencyRecords
{% if cookiecutter.include_example_domain == "y" -%}
from .item_repository import SqlItemRepository
{% endif -%}
from .job_repository import SqlJobRepository
from .outbox import SqlOutbox
from .password_reset_token_repository import SqlPasswordResetTokenRepository
from .personal_data import SqlPersonalData
from .processed_messages import SqlProcessedMessages
from .refresh_token_repository import SqlRefreshTokenRepository
from .service_client_repository import SqlServiceClientRepository
from .user_repository import SqlUserRepository


class SqlUnitOfWork:
    users: SqlUserRepository
    refresh_tokens: SqlRefreshTokenRepository
    password_reset_tokens: SqlPasswordResetTokenRepository
    jobs: SqlJobRepository
    outbox: SqlOutbox
    processed_messages: SqlProcessedMessages
    idempotency_records: SqlIdempotencyRecords
    audit: SqlAuditLog
    personal_data: SqlPersonalData
    service_clients: SqlServiceClientRepository
{%- if cookiecutter.include_example_domain == "y" %}
    items: SqlItemRepository
{%- endif %}

    def __init__(
        self,
        sessions: SessionFactories,
        on_outbox_commit: Callable[[], None] | None = None,
        *,
        reads_only: bool = False,
    ) -> None:
        self._sessions = sessions
        # Called after a commit that added outbox messages: the relay sends them at once
        # instead of at its next poll.
        self._on_outbox_commit = on_outbox_commit
        self._reads_only = reads_only
        self._session: AsyncSession | None = None
        self._joined = False

    def read_only(self) -> "SqlUnitOfWork":
        return SqlUnitOfWork(self._sessions, reads_only=True)

    def joined(self) -> "SqlUnitOfWork":
        if self._session is None:
            raise RuntimeError("joined() outside `async with`")
        # The same session and repositories; the block that began the transaction ends it.
        joined = copy.copy(self)
        joined._joined = True
        return joined

    async def __aenter__(self) -> Self:
        if self._joined:
            return self
        # The session takes a pooled connection only at its first statement, so a unit of work
        # that a cache hit makes unnecessary costs nothing.
        factory = self._sessions.read_only if self._reads_only else self._sessions.transactional
        self._session = factory()
        self.users = SqlUserRepository(self._session)
        self.refresh_tokens = SqlRefreshTokenRepository(self._session)
        self.password_reset_tokens = SqlPasswordResetTokenRepository(self._session)
        self.jobs = SqlJobRepository(self._session)
        self.outbox = SqlOutbox(self._session)
        self.processed_messages = SqlProcessedMessages(self._session)
        self.idempotency_records = SqlIdempotencyRecords(self._session)
        self.audit = SqlAuditLog(self._session)
        self.personal_data = SqlPersonalData(self._session)
        self.service_clients = SqlServiceClientRepository(self._session)
{%- if cookiecutter.include_example_domain == "y" %}
        self.items = SqlItemRepository(self._session)
{%- endif %}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._joined:
            return
        session, self._session = self._session, None
        if session is not None:
            # Closing rolls back whatever was not committed.
            await session.close()

    async def commit(self) -> None:
        if self._session is None:
            raise RuntimeError("commit() outside `async with`")
        if self._reads_only:
            # Its statements ran without a transaction: there is nothing to commit atomically.
            raise RuntimeError("commit() in a read-only unit of work")
        if self._joined:
            return
        await self._session.commit()
        self.audit.log_committed()
        if self.outbox.added and self._on_outbox_commit is not None:
            self._on_outbox_commit()
            self.outbox.added = 0
