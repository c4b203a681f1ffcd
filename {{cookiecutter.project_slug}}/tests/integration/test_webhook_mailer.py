"""The webhook mail adapter, through the outbound client, to a stub on loopback."""

from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.mail import Email
from {{ cookiecutter.package_name }}.infrastructure.http.client import ResilientHttpClient
from {{ cookiecutter.package_name }}.infrastructure.mail.logging_mailer import LoggingMailer
from {{ cookiecutter.package_name }}.infrastructure.mail.webhook_mailer import (
    MailNotDelivered,
    WebhookMailer,
    idempotency_key,
)
from {{ cookiecutter.package_name }}.infrastructure.queue.runtime import create_mailer

from ..conftest import make_settings
from ..stub_upstream import Reply, StubUpstream
from .test_outbound_http import make_client

EMAIL = Email(to="ann@example.com", subject="Welcome", body="Hello Ann,", message_id=uuid4())


@pytest.fixture
def upstream() -> Iterator[StubUpstream]:
    stub = StubUpstream().start()
    yield stub
    stub.stop()


@pytest.fixture
async def http() -> AsyncIterator[ResilientHttpClient]:
    client = make_client()
    yield client
    await client.aclose()


async def test_the_email_is_posted_as_json_with_its_message_as_idempotency_key(
    http: ResilientHttpClient, upstream: StubUpstream
) -> None:
    await WebhookMailer(http, f"{upstream.url}/mail").send(EMAIL)

    [posted] = upstream.received
    assert (posted.method, posted.path) == ("POST", "/mail")
    assert posted.json() == {"to": "ann@example.com", "subject": "Welcome", "body": "Hello Ann,"}
    assert posted.headers["idempotency-key"] == str(EMAIL.message_id)
    assert posted.headers["content-type"] == "application/json"


async def test_a_busy_webhook_gets_the_same_email_again_under_the_same_key(
    http: ResilientHttpClient, upstream: StubUpstream
) -> None:
    upstream.answer(Reply(503))

    await WebhookMailer(http, upstream.url).send(EMAIL)

    assert [r.headers["idempotency-key"] for r in upstream.received] == [str(EMAIL.message_id)] * 2


async def test_a_refusal_raises_so_that_the_task_retries_without_leaking_the_url(
    http: ResilientHttpClient, upstream: StubUpstream
) -> None:
    upstream.answer(Reply(500))

    with pytest.raises(MailNotDelivered, match="answered 500") as raised:
        await WebhookMailer(http, f"{upstream.url}/mail?token=secret").send(EMAIL)
    assert "secret" not in str(raised.value)
    assert len(upstream.received) == 1  # a 500 is not retried here: the task decides


def test_an_email_without_a_message_has_a_key_of_its_content() -> None:
    email = Email(to="ann@example.com", subject="Hi", body="Hello")

    assert idempotency_key(email) == idempotency_key(Email("ann@example.com", "Hi", "Hello"))
    assert idempotency_key(email) != idempotency_key(Email("ann@example.com", "Hi", "Bye"))


async def test_the_worker_posts_to_the_webhook_only_when_one_is_set(
    http: ResilientHttpClient,
) -> None:
    webhook = make_settings("sqlite+aiosqlite://", mail_webhook_url="https://mail.test/send")
    no_webhook = make_settings("sqlite+aiosqlite://")

    assert isinstance(create_mailer(webhook, http), WebhookMailer)
    assert isinstance(create_mailer(no_webhook, http), LoggingMailer)
