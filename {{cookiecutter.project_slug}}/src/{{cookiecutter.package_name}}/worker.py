"""The Celery worker's composition root: `celery -A {{ cookiecutter.package_name }}.worker worker`,
or `{{ cookiecutter.package_name }} worker` (cli.py), which adds the right options for the mode.

Besides the tasks, the worker runs the outbox relay (a thread) and touches its heartbeat file;
each of its pool processes traces the tasks it runs (infrastructure/telemetry/worker_tracing.py).
"""

from typing import Any

from celery import Celery
from celery.signals import (
    setup_logging,
    worker_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)

from . import __version__
from .infrastructure.queue.celery_app import create_celery, dead_letter_queue, task_queue
from .infrastructure.queue.heartbeat import heartbeat_step
from .infrastructure.queue.relay_thread import RelayThread
from .infrastructure.queue.tasks import register_tasks
from .infrastructure.telemetry.exposition import mark_this_process_dead
from .infrastructure.telemetry.worker_metrics import serve_worker_metrics
from .infrastructure.telemetry.worker_tracing import trace_worker
from .shared.logging import configure_logging
from .shared.settings import Settings, load_settings


def create_worker_app(settings: Settings) -> Celery:
    app = create_celery(settings)
    runtime = register_tasks(app, settings)
    app.steps["worker"].add(
        heartbeat_step(settings.worker_heartbeat_file, settings.worker_heartbeat_seconds)
    )
    relay = RelayThread(settings, app)

    @setup_logging.connect(weak=False)
    def use_service_logging(**_: Any) -> None:
        # Connected, so Celery leaves logging alone: its lines come out as the API's JSON.
        configure_logging(settings.log_level)

    @worker_init.connect(weak=False)
    def prepare_broker(**_: Any) -> None:
        with app.connection_for_write() as connection:
            # Declared here, before the consumer and the schedule start: on the embedded
            # transport both would otherwise create the queue's row at once, and the loser
            # fails. RabbitMQ: the dead-letter queue must exist before a message is rejected.
            channel = connection.default_channel
            task_queue(settings).bind(channel).declare()
            if settings.is_rabbitmq_broker:
                dead_letter_queue(settings).bind(channel).declare()

    @worker_init.connect(weak=False)
    def serve_metrics(**_: Any) -> None:
        # In the main process, before the pool starts: it serves every child's metrics.
        serve_worker_metrics(settings.worker_metrics_host, settings.worker_metrics_port)

    @worker_process_shutdown.connect(weak=False)
    def forget_child_gauges(**_: Any) -> None:
        # A pool child exiting (shutdown, or recycled): its live-only gauges go with it.
        mark_this_process_dead()

    @worker_ready.connect(weak=False)
    def start_relay(**_: Any) -> None:
        relay.start()

    @worker_shutdown.connect(weak=False)
    def stop_relay(**_: Any) -> None:
        relay.stop()

    @worker_process_shutdown.connect(weak=False)
    @worker_shutdown.connect(weak=False)
    def close_runtime(**_: Any) -> None:
        # The outbound client's and the pool's connections, in whichever process ran tasks: a
        # prefork child, or the main process with the solo pool (embedded). Elsewhere a no-op.
        runtime.close()

    # Connected last: its flush at the worker's shutdown comes after the relay's last spans.
    trace_worker(__version__, settings.environment.value)
    return app


app = create_worker_app(load_settings())
