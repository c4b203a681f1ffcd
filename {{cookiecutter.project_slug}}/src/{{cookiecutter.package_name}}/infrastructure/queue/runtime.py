"""What a worker process needs to run the domain's async code from Celery's synchronous tasks.

Celery calls tasks as plain functions; the domain is async. Each worker process keeps one event
loop and one database engine for its whole life (made on its first task, so after the fork: a
connection pool must never be shared between processes), and runs each task to completion on
that loop. `asyncio.run` per task would build and tear down both every time.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar
from uuid import UUID

from ...domain.auth.reset_emails import PasswordResetEmails
from ...domain.housekeeping import Housekeeping, HousekeepingPolicy
from ...domain.jobs.runner import JobRunner
from ...domain.mail import Mailer
from ...domain.privacy.erasure import AccountEraser
from ...domain.users.welcome import WelcomeEmails
from ...shared.settings import Settings
from ..cache.caches import create_caches
from ..database.engine import create_engine, create_session_factories
from ..database.pool_metrics import sample_pool
from ..database.unit_of_work import SqlUnitOfWork
from ..http.client import ResilientHttpClient, create_http_client
from ..mail.logging_mailer import LoggingMailer
from ..mail.webhook_mailer import WebhookMailer
from ..redis.client import connect_redis
from ..security.password_hasher import Argon2PasswordHasher

T = TypeVar("T")


class WorkerRuntime:
    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self._engine = engine = create_engine(settings)
        sessions = create_session_factories(engine)

        def unit_of_work() -> SqlUnitOfWork:
            return SqlUnitOfWork(sessions)

        self.jobs = JobRunner(unit_of_work)
        self.http = create_http_client(settings)
        mailer = create_mailer(settings, self.http)
        self.welcome_emails = WelcomeEmails(unit_of_work, mailer)
        self.password_reset_emails = PasswordResetEmails(
            unit_of_work, mailer, settings.password_reset_ttl_seconds
        )
        # The API's caches as the API sees them: an erasure must drop what they hold.
        caches = create_caches(settings, engine, connect_redis(settings))
        self.account_eraser = AccountEraser(
            unit_of_work,
            Argon2PasswordHasher.from_settings(settings),
            caches.access_states,
            caches.profiles,
{%- if cookiecutter.include_example_domain == "y" %}
            caches.items,
{%- endif %}
        )
        self.housekeeping = Housekeeping(
            unit_of_work,
            HousekeepingPolicy(
                retention_seconds=settings.outbox_retention_seconds,
                batch_size=settings.housekeeping_batch_size,
            ),
        )
        self.unit_of_work = unit_of_work

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        try:
            return self.loop.run_until_complete(work)
        finally:
            sample_pool(self._engine)  # the pool gauges, as fresh as the last task

    def close(self) -> None:
        """Closes the outbound client's connections and the pool's, before the process exits."""
        self.loop.run_until_complete(self.http.aclose())
        self.loop.run_until_complete(self._engine.dispose())
        self.loop.close()

    async def mark_dead(self, message_id: UUID, reason: str) -> None:
        async with self.unit_of_work() as uow:
            await uow.outbox.mark_dead(message_id, reason)
            await uow.commit()


class LazyRuntime:
    """The process's `WorkerRuntime`, made when a task first needs it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._runtime: WorkerRuntime | None = None

    def get(self) -> WorkerRuntime:
        if self._runtime is None:
            self._runtime = WorkerRuntime(self._settings)
        return self._runtime

    def close(self) -> None:
        """Closes the runtime if this process made one; a no-op otherwise."""
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None


def create_mailer(settings: Settings, http: ResilientHttpClient) -> Mailer:
    if settings.mail_webhook_url:
        return WebhookMailer(http, settings.mail_webhook_url)
    return LoggingMailer()
