"""The welcome email end to end through `MAIL_WEBHOOK_URL`: registered in the API, relayed by a
real worker process, posted by its webhook mailer to a stub upstream that fails once, and
retried by the task under the same Idempotency-Key, in the registration's trace."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.outbox import SEND_WELCOME_EMAIL
from {{ cookiecutter.package_name }}.infrastructure.database.tables import OutboxMessageRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..stub_upstream import Received, Reply, StubUpstream
from ..waiting import eventually
from ..worker_process import WorkerProcess
from .auth import client_for, register
from .test_jobs_api import FAST_RETRIES

TRACE_ID = "5cf92f3577b34da6a3ce929d0e0e4737"


@pytest.fixture
def upstream() -> Iterator[StubUpstream]:
    stub = StubUpstream().start()
    yield stub
    stub.stop()


async def test_the_worker_posts_the_welcome_email_and_retries_a_refusal(
    app: FastAPI, engine: AsyncEngine, settings: Settings, tmp_path: Path, upstream: StubUpstream
) -> None:
    upstream.answer(Reply(500))  # not retried by the client: the task retries it
    worker = WorkerProcess(
        settings, tmp_path, {**FAST_RETRIES, "mail_webhook_url": f"{upstream.url}/mail?key=s3cret"}
    )
    worker.start()
    try:
        async with client_for(app) as client:
            caller = {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}
            user = await register(client, "webhook@example.com", headers=caller)

        async def delivered() -> list[Received] | None:
            return upstream.received if len(upstream.received) == 2 else None

        posts = await eventually(delivered, "two posts", context=worker.report)
    finally:
        worker.stop()

    async with engine.connect() as connection:
        [message_id] = (
            await connection.execute(
                select(OutboxMessageRow.id).where(
                    OutboxMessageRow.topic == SEND_WELCOME_EMAIL,
                    OutboxMessageRow.payload["user_id"].as_string() == user["id"],
                )
            )
        ).scalars()
    assert [post.headers["idempotency-key"] for post in posts] == [str(message_id)] * 2
    assert posts[1].json()["to"] == "webhook@example.com"
    assert all(post.headers["traceparent"].startswith(f"00-{TRACE_ID}-") for post in posts)
    assert "webhook@example.com" not in worker.output()  # addresses are personal data
    assert "s3cret" not in worker.output()  # nor is the webhook's URL logged, with its token
