"""One trace from the caller to the worker (SPEC section 7): an incoming `traceparent` is
continued by the request's span, its SQL and cache spans, the outbox row, the relay's publish
and the worker's task span with its SQL; problem bodies and every log line of the request and of
the task quote that trace id. Real processes (`serve` and `worker`) export to an OTLP receiver."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..api_process import ApiProcess
from ..otlp_receiver import OtlpReceiver, ReceivedSpan, otlp_receiver
from ..worker_process import WorkerProcess, delete_queues
from .auth import bearer, register, sign_in
from .test_jobs_api import JOBS, create_job, finished

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN_ID = "00f067aa0ba902b7"
OTHER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
REQUEST_ID = "trace-across-hops"
# Server mode: the hops under test are PostgreSQL, Redis and the broker.
server_mode_only = pytest.mark.parametrize("run_mode", ["server"], indirect=True)


def traceparent(trace_id: str) -> str:
    return f"00-{trace_id}-{CALLER_SPAN_ID}-01"


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with otlp_receiver() as receiver:
        yield receiver


def exporting_to(receiver: OtlpReceiver) -> dict[str, object]:
    # SQL logged as well, so that the request and the task certainly write log lines.
    return {
        "otel_exporter_otlp_endpoint": receiver.endpoint,
        "otel_bsp_schedule_delay": 200,
        "database_echo": True,
    }


def children_of(spans: list[ReceivedSpan], parent: ReceivedSpan) -> list[ReceivedSpan]:
    return [span for span in spans if span.parent_span_id == parent.span_id]


def the_one(spans: list[ReceivedSpan], kind: str, name: str) -> ReceivedSpan:
    [span] = [span for span in spans if span.kind == kind and span.name == name]
    return span


def is_sql(span: ReceivedSpan) -> bool:
    return "db.statement" in span.attributes or "db.query.text" in span.attributes


def log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


@server_mode_only
async def test_one_trace_from_the_request_through_the_outbox_to_the_worker(
    settings: Settings, tmp_path: Path, receiver: OtlpReceiver
) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "worker").mkdir()
    # A queue of its own: this worker runs this test's job and nothing another test left.
    settings = settings.model_copy(update={"celery_queue": f"trace-{uuid4().hex[:8]}"})
    api = ApiProcess(settings, tmp_path / "api", workers=1, overrides=exporting_to(receiver))
    worker = WorkerProcess(settings, tmp_path / "worker", exporting_to(receiver))
    api.start()
    worker.start()
    try:
        async with httpx.AsyncClient(base_url=api.url) as anonymous:
            await register(anonymous, "tracer@example.com")
            token = (await sign_in(anonymous, "tracer@example.com"))["access_token"]
        in_trace = {
            **bearer(token),
            "traceparent": traceparent(TRACE_ID),
            "x-request-id": REQUEST_ID,
        }
        async with httpx.AsyncClient(base_url=api.url, headers=in_trace) as client:
            job = await create_job(client)
            assert (await finished(client, job["id"], worker))["status"] == "succeeded"
            another_trace = {"traceparent": traceparent(OTHER_TRACE_ID), "x-request-id": "other"}
            problem = await client.get(f"{JOBS}/{uuid4()}", headers=another_trace)
        receiver.wait_for(lambda span: span.trace_id == TRACE_ID and span.kind == "CONSUMER")
    finally:
        worker.stop()
        api.stop()
        delete_queues(settings)
    ours = [span for span in receiver.spans() if span.trace_id == TRACE_ID]

    request = the_one(ours, "SERVER", f"POST {JOBS}")
    assert request.parent_span_id == CALLER_SPAN_ID
    in_request = children_of(ours, request)
    assert any(is_sql(span) for span in in_request), "the job and its outbox row are SQL spans"
    assert any(span.name == "cache read" for span in in_request), "the access check's round trip"
    publish = the_one(ours, "PRODUCER", f"publish {RUN_JOB}")
    assert publish.parent_span_id == request.span_id  # from the outbox row's traceparent
    task = the_one(ours, "CONSUMER", f"process {RUN_JOB}")
    assert task.parent_span_id == publish.span_id
    assert task.attributes["messaging.message.id"] == publish.attributes["messaging.message.id"]
    assert any(is_sql(span) for span in children_of(ours, task)), "the task's own SQL"

    assert problem.status_code == 404
    assert problem.json()["trace_id"] == OTHER_TRACE_ID

    request_lines = [line for line in log_lines(api.log) if line.get("request_id") == REQUEST_ID]
    assert request_lines, "the request logged its SQL: the check below is not vacuous"
    assert {line["trace_id"] for line in request_lines} == {TRACE_ID}
    # The task's statements: it alone updates jobs in this worker (no schedule runs here).
    task_lines = [
        line for line in log_lines(worker.log) if line["message"].startswith("UPDATE jobs")
    ]
    assert task_lines, "the task logged its SQL"
    assert {line["trace_id"] for line in task_lines} == {TRACE_ID}
