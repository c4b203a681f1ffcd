"""Tracing in the Celery worker: set up in each pool process, flushed when it ends, and a span
per task run that continues the trace of the request which enqueued the task.

A prefork worker forks its pool processes; tracing starts in each of them afterwards, never in
the parent, so that no exporter thread or connection is shared across a fork. The parent, which
runs the outbox relay, records no spans (the messages it relays carry their trace context on).
"""

from contextvars import Token
from typing import Any

from celery import Task
from celery.exceptions import Retry
from celery.signals import (
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_process_shutdown,
    worker_shutdown,
)
from opentelemetry import context, propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, StatusCode

from .span_export import otlp_protocol
from .tracing import configure_tracing, shutdown_tracing, tracing_enabled

AnyTask = Task[Any, Any]
# Celery is not among the semantic conventions' well-known systems; a custom value is allowed.
MESSAGING_SYSTEM = "celery"
# The states in which a run ends badly: failed for good, to be retried, or rejected (dead-lettered).
UNSUCCESSFUL_STATES = frozenset({"FAILURE", "RETRY", "REJECTED"})

tracer = trace.get_tracer(__name__)
# The span of each task running in this process, from prerun to postrun, with the token that
# made it current. One entry at a time in the prefork and solo pools.
_running: dict[str, tuple[trace.Span, Token[Context]]] = {}


def trace_worker(service_version: str, environment: str) -> None:
    """Connects tracing to the worker's signals; with tracing disabled, connects nothing, so
    that a task run costs nothing extra."""
    if not tracing_enabled():
        return
    otlp_protocol()  # a wrong protocol stops the worker here, not each pool process it forks

    def set_up(**_: Any) -> None:
        configure_tracing(service_version, environment)

    # Sent in each prefork pool process after the fork, and by the solo pool in its one process.
    worker_process_init.connect(set_up, weak=False)
    # A pool process ends with os._exit, without the SDK's `atexit` flush: flushed here, so a
    # recycled process loses no spans. The solo pool never sends this (celery#6073); its
    # process flushes at the worker's shutdown, after the relay has stopped.
    worker_process_shutdown.connect(_shut_down, weak=False)
    worker_shutdown.connect(_shut_down, weak=False)
    task_prerun.connect(start_task_span, weak=False)
    task_postrun.connect(end_task_span, weak=False)


def start_task_span(task_id: str, task: AnyTask, **_: Any) -> None:
    """A CONSUMER span for this run, child of the `traceparent` the message carries (the
    request's, written into the outbox with the message), and current until postrun: the
    task's log lines and SQL statements belong to it."""
    parent = propagate.extract(task.request.headers or {})
    span = tracer.start_span(
        f"process {task.name}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": MESSAGING_SYSTEM,
            "messaging.operation.type": "process",
            "messaging.destination.name": _queue_of(task),
            "messaging.message.id": task_id,  # the outbox message's id
        },
    )
    _running[task_id] = (span, context.attach(trace.set_span_in_context(span, parent)))


def end_task_span(task_id: str, state: str | None = None, retval: object = None, **_: Any) -> None:
    running = _running.pop(task_id, None)
    if running is None:  # the run started before tracing did
        return
    span, token = running
    if state in UNSUCCESSFUL_STATES and isinstance(retval, BaseException):
        error = _error_behind(retval)
        span.set_attribute("error.type", type(error).__qualname__)
        span.record_exception(error)
        span.set_status(StatusCode.ERROR, state)
    span.set_attribute("celery.state", state or "UNKNOWN")
    span.end()
    context.detach(token)


def _queue_of(task: AnyTask) -> str:
    delivery_info = task.request.delivery_info or {}
    queue = delivery_info.get("routing_key") or task.app.conf.task_default_queue
    return str(queue)


def _error_behind(raised: BaseException) -> BaseException:
    """The task's own error: Celery hands postrun what it caught, which for a retry or a
    rejection wraps it (tasks.py raises both from the error)."""
    if isinstance(raised, Retry) and raised.exc is not None:
        return raised.exc
    return raised.__cause__ or raised


def _shut_down(**_: Any) -> None:
    shutdown_tracing()
