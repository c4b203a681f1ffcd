"""The Celery application, configured from settings: the same in the API (which publishes) and
in the worker (which also registers the tasks, tasks.py).

Every default below is there for a failure someone has had in production; the comment says which.
"""

import tempfile
from pathlib import Path

from celery import Celery
from kombu import Exchange, Queue
from kombu.transport import sqlalchemy as sqlalchemy_transport

from ...shared.settings import Settings

HOUSEKEEPING = "housekeeping.run"
# How often an idle worker asks the embedded broker (a SQLite file) for messages.
EMBEDDED_POLLING_SECONDS = 0.05


def create_celery(settings: Settings) -> Celery:
    if settings.is_embedded_broker:
        # kombu reads a transport's polling interval from its options, but its SQLAlchemy
        # transport also hands every option to `create_engine`, which refuses this one: so
        # the interval is set where kombu keeps its default, on the transport class.
        sqlalchemy_transport.Transport.polling_interval = EMBEDDED_POLLING_SECONDS
    app = Celery("{{ cookiecutter.package_name }}", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        # JSON only: a pickled message from a compromised broker runs code in the worker.
        task_serializer="json",
        accept_content=["json"],
        # Job state lives in the database (`jobs`), not in a result backend.
        task_ignore_result=True,
        # Acknowledged after the task ran, not when it arrived: a worker that dies mid-task does
        # not take the message with it, and a lost worker's message is given back at once.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One message at a time per process: none waits in the buffer of a busy or dead one.
        worker_prefetch_multiplier=1,
        # A task past the soft limit gets an exception it can handle; past the hard one, killed.
        task_soft_time_limit=settings.task_soft_time_limit_seconds,
        task_time_limit=settings.task_time_limit_seconds,
        task_default_queue=settings.celery_queue,
        task_queues=[task_queue(settings)],
        broker_transport_options=transport_options(settings),
        # Fail fast when the broker is down: the outbox keeps the message and the relay retries.
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        # On a cold shutdown (SIGQUIT; SIGTERM too under `worker`, cli.py) a worker with a task
        # running waits this long (Celery sleeps it out whole), then gives the unfinished ones
        # back to the broker at once, instead of after a visibility timeout (Redis).
        worker_soft_shutdown_timeout=min(
            settings.worker_soft_shutdown_seconds, settings.task_time_limit_seconds
        ),
        worker_hijack_root_logger=False,  # the service's JSON logging stays in charge
        worker_send_task_events=False,
        timezone="UTC",
        # Where beat remembers when each entry last ran: a writable place in any container.
        beat_schedule_filename=settings.beat_schedule_file
        or str(Path(tempfile.gettempdir()) / f"{settings.celery_queue}-beat"),
        beat_schedule={
            "housekeeping": {
                "task": HOUSEKEEPING,
                "schedule": float(settings.housekeeping_interval_seconds),
            }
        },
    )
    return app


def task_queue(settings: Settings) -> Queue:
    """The queue; on RabbitMQ, a message a task rejects goes to its dead-letter queue."""
    arguments = None
    if settings.is_rabbitmq_broker:
        arguments = {
            "x-dead-letter-exchange": dead_letter_exchange(settings).name,
            "x-dead-letter-routing-key": dead_letter_queue(settings).name,
        }
    exchange = Exchange(settings.celery_queue, type="direct")
    name = settings.celery_queue
    return Queue(name, exchange, routing_key=name, queue_arguments=arguments)


def dead_letter_exchange(settings: Settings) -> Exchange:
    return Exchange(f"{settings.celery_queue}.dead-letter", type="direct")


def dead_letter_queue(settings: Settings) -> Queue:
    """RabbitMQ only: poison messages, kept for a person to read (never consumed by workers)."""
    name = f"{settings.celery_queue}.dead-letter"
    return Queue(name, dead_letter_exchange(settings), routing_key=name)


def transport_options(settings: Settings) -> dict[str, object]:
    if settings.is_embedded_broker:
        return {}  # passed to SQLAlchemy's create_engine as they are: nothing to add
    if settings.is_rabbitmq_broker:
        # Publisher confirms: the relay marks a message sent only once RabbitMQ has it.
        return {"confirm_publish": True}
    # Redis redelivers a task unacknowledged for this long; it must outlast the longest task.
    # kombu looks for such tasks every interval * throttle seconds (100 by default): a tenth
    # of the timeout keeps a dead worker's task waiting little longer than the timeout itself.
    visibility = settings.broker_visibility_timeout_seconds
    return {
        "visibility_timeout": visibility,
        "unacked_restore_interval": max(1, visibility // 10),
        "unacked_restore_throttle": 1,
    }
