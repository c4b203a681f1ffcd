"""`/api/v1/auth/password-reset` over HTTP: the same answer and the same work for any address,
a mailed single-use token that expires, and every session ended by the new password."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.clock import utc_now

from ..statement_counter import counting_statements
from .accounts import RESET, TTL_SECONDS, deliver_reset_mail, token_in
from .auth import USERS, bearer, register, sign_in
from .problems import assert_problem

EMAIL = "ann@example.com"
NEW_PASSWORD = "a sturdy new passphrase"


async def confirm(client: httpx.AsyncClient, token: str, password: str) -> httpx.Response:
    return await client.post(f"{RESET}/confirm", json={"token": token, "new_password": password})


async def test_a_reset_sets_the_password_and_ends_every_session(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await register(client, EMAIL)
    sessions = [await sign_in(client, EMAIL) for _ in range(2)]
    for tokens in sessions:  # the access checks are cached now
        assert (await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"]))).is_success

    requested = await client.post(RESET, json={"email": "Ann@Example.com"})
    mailbox = await deliver_reset_mail(app, engine)
    response = await confirm(client, token_in(mailbox), NEW_PASSWORD)

    assert (requested.status_code, requested.content) == (202, b"")
    assert mailbox.sent[0].to == EMAIL
    assert (response.status_code, response.content) == (204, b"")
    for tokens in sessions:
        assert_problem(await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"])), 401)
        refresh = {"refresh_token": tokens["refresh_token"]}
        refreshed = await client.post("/api/v1/auth/refresh", json=refresh)
        assert_problem(refreshed, 401)
    assert await sign_in(client, EMAIL, NEW_PASSWORD)


async def test_a_spent_token_is_refused(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await register(client, EMAIL)
    await client.post(RESET, json={"email": EMAIL})
    token = token_in(await deliver_reset_mail(app, engine))
    assert (await confirm(client, token, NEW_PASSWORD)).status_code == 204

    body = assert_problem(await confirm(client, token, "another sturdy passphrase"), 422)

    assert str(body["type"]).endswith("invalid-reset-token")
    assert await sign_in(client, EMAIL, NEW_PASSWORD)


async def test_an_expired_token_is_refused(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await register(client, EMAIL)
    await client.post(RESET, json={"email": EMAIL})
    issued_long_ago = utc_now() - timedelta(seconds=TTL_SECONDS + 1)
    token = token_in(await deliver_reset_mail(app, engine, clock=lambda: issued_long_ago))

    assert_problem(await confirm(client, token, NEW_PASSWORD), 422)


async def test_a_weak_new_password_is_refused_saying_why(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await register(client, EMAIL)
    await client.post(RESET, json={"email": EMAIL})
    token = token_in(await deliver_reset_mail(app, engine))

    body = assert_problem(await confirm(client, token, "password123"), 422)

    assert "too easy to guess" in str(body["detail"])
    assert (await confirm(client, token, NEW_PASSWORD)).status_code == 204  # still usable


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    response = await client.post(RESET, json={"email": "nobody@example.com"})

    assert (response.status_code, response.content) == (202, b"")
    assert (await deliver_reset_mail(app, engine)).sent == []


@pytest.mark.parametrize("body", [{}, {"email": "not an address"}, {"email": EMAIL, "x": 1}])
async def test_a_malformed_request_is_a_422(client: httpx.AsyncClient, body: object) -> None:
    assert_problem(await client.post(RESET, json=body), 422)


async def test_requests_for_one_address_are_throttled(client: httpx.AsyncClient) -> None:
    for _ in range(5):  # LOGIN_MAX_FAILURES_PER_ACCOUNT
        assert (await client.post(RESET, json={"email": EMAIL})).status_code == 202

    response = await client.post(RESET, json={"email": EMAIL})

    body = assert_problem(response, 429)
    assert "password reset attempts" in str(body["detail"])
    assert int(response.headers["retry-after"]) > 0


async def test_the_answer_does_the_same_work_for_an_unknown_address(
    client: httpx.AsyncClient,
) -> None:
    """Enumeration by timing: an unknown address costs what a known one costs because the
    request does the same work, statement for statement (the mail is the worker's, later).
    Checked as work, not as time: a timing test measures the machine as much as the code."""
    await register(client, EMAIL)
    statements: dict[str, list[str]] = {}
    for email in (EMAIL, "nobody@example.com"):
        with counting_statements() as log:
            response = await client.post(RESET, json={"email": email})
        assert response.status_code == 202
        statements[email] = log.queries

    assert statements[EMAIL]  # it did read and write: not a vacuous comparison
    assert statements[EMAIL] == statements["nobody@example.com"]
