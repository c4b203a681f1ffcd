"""The worker's tasks: thin wrappers that run a domain use case, retry it, or give up on it.

Every task is idempotent (a message can arrive twice: domain/outbox.py), retries with
exponential backoff and full jitter, and after its last retry records the failure and
dead-letters the message (`give_up`). The retry policy is written once, in `run_with_retries`.
"""

import random
from collections.abc import Callable
from typing import Any
from uuid import UUID

from celery import Celery, Task
from celery.exceptions import Reject, SoftTimeLimitExceeded

from ...domain.jobs.entities import JobStatus
from ...domain.outbox import ERASE_ACCOUNT, RUN_JOB, SEND_PASSWORD_RESET_EMAIL, SEND_WELCOME_EMAIL
from ...shared.logging import get_logger
from ...shared.settings import Settings
from ..telemetry.metrics import count_job
from .celery_app import HOUSEKEEPING
from .runtime import LazyRuntime

logger = get_logger(__name__)
AnyTask = Task[Any, Any]


def register_tasks(app: Celery, settings: Settings) -> LazyRuntime:
    """Registers the tasks; the runtime they share is returned, for the worker to close."""
    runtime = LazyRuntime(settings)

    def run_with_retries(
        task: AnyTask, work: Callable[[], None], give_up: Callable[[str], None]
    ) -> None:
        try:
            work()
        except Exception as error:  # whatever it was, retrying may cure it, up to a point
            reason = _describe(error)
            retries = task.request.retries
            if isinstance(error, SoftTimeLimitExceeded) or retries >= (task.max_retries or 0):
                logger.error("task failed for good", task=task.name, error=reason)
                try:
                    give_up(reason)
                except Exception:  # the record is lost, the message must still be rejected
                    logger.exception("could not record the failure", task=task.name)
                # Not requeued: on RabbitMQ the message moves to the dead-letter queue.
                raise Reject(reason, requeue=False) from error
            # Exponential backoff with full jitter: a random wait up to base * 2**retries, so
            # that tasks failing together do not all come back together.
            ceiling = settings.task_retry_backoff_seconds * 2**retries
            countdown = random.uniform(0, min(ceiling, settings.task_retry_backoff_max_seconds))  # noqa: S311
            logger.warning(
                "task failed, retrying", task=task.name, error=reason, countdown=countdown
            )
            raise task.retry(exc=error, countdown=countdown) from error

    def dead_letter(task: AnyTask, reason: str) -> None:
        """Marks the message's outbox row dead, with why: the dead-letter record on every broker."""
        run = runtime.get()
        run.run(run.mark_dead(UUID(task.request.id), reason))

    # shared=False on each: a shared task (Celery's default) joins every app made later in the
    # process, with this app's settings and runtime, and shadows that app's own.
    @app.task(name=RUN_JOB, bind=True, max_retries=settings.task_max_retries, shared=False)
    def run_job(task: AnyTask, job_id: str) -> None:
        run = runtime.get()

        def work() -> None:
            job = run.run(run.jobs.run(UUID(job_id)))
            if job is not None:
                count_job(job.kind.value, job.status.value)

        def give_up(reason: str) -> None:
            kind = run.run(run.jobs.fail(UUID(job_id), reason))
            if kind is not None:
                count_job(kind, JobStatus.FAILED.value)
            dead_letter(task, reason)

        run_with_retries(task, work, give_up)

    @app.task(
        name=SEND_WELCOME_EMAIL, bind=True, max_retries=settings.task_max_retries, shared=False
    )
    def send_welcome_email(task: AnyTask, user_id: str) -> None:
        run = runtime.get()

        def work() -> None:
            # The task id is the outbox message's id: what makes a second delivery a no-op.
            run.run(run.welcome_emails.send(UUID(user_id), UUID(task.request.id)))

        run_with_retries(task, work, lambda reason: dead_letter(task, reason))

    @app.task(
        name=SEND_PASSWORD_RESET_EMAIL,
        bind=True,
        max_retries=settings.task_max_retries,
        shared=False,
    )
    def send_password_reset_email(task: AnyTask, user_id: str) -> None:
        run = runtime.get()
        account = UUID(user_id) if user_id else None  # empty: the address has no account

        def work() -> None:
            run.run(run.password_reset_emails.send(account, UUID(task.request.id)))

        run_with_retries(task, work, lambda reason: dead_letter(task, reason))

    @app.task(name=ERASE_ACCOUNT, bind=True, max_retries=settings.task_max_retries, shared=False)
    def erase_account(task: AnyTask, user_id: str) -> None:
        run = runtime.get()

        def work() -> None:
            # Idempotent by itself: a second delivery finds the account erased already.
            if run.run(run.account_eraser.erase(UUID(user_id))):
                logger.info("account erased")

        run_with_retries(task, work, lambda reason: dead_letter(task, reason))

    @app.task(name=HOUSEKEEPING, shared=False)
    def housekeeping() -> None:
        # No retries: the schedule runs it again, and every run purges what is due.
        run = runtime.get()
        purged = run.run(run.housekeeping.run())
        requeued = run.run(
            run.jobs.requeue_stalled(
                settings.job_stalled_after_seconds, settings.housekeeping_batch_size
            )
        )
        logger.info(
            "housekeeping done",
            refresh_tokens=purged.refresh_tokens,
            password_reset_tokens=purged.password_reset_tokens,
            outbox_messages=purged.outbox_messages,
            processed_messages=purged.processed_messages,
            idempotency_records=purged.idempotency_records,
            stalled_jobs_requeued=requeued,
        )

    return runtime


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
