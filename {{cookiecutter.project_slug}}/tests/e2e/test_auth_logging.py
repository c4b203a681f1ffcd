"""Passwords, password hashes, tokens and email addresses never reach the logs, even with SQL
logging on; every line is one JSON object naming its request, its trace and, once the caller is
known, the caller."""

import hashlib
import json

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import UserRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from .auth import AUTH, PASSWORD, USERS, app_with, bearer, client_for, register, sign_in

EMAIL = "ann@example.com"


async def test_no_credential_is_ever_logged(
    settings: Settings, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    # The app is made here, not by a fixture, so that its log handler writes where capsys reads.
    async with (
        app_with(settings, log_level="DEBUG", database_echo=True) as app,
        client_for(app) as client,
    ):
        await register(client, EMAIL)
        await client.post(f"{AUTH}/register", json={"email": EMAIL, "password": "too short"})
        await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": "wrong password"})
        first = await sign_in(client, EMAIL)
        second = (
            await client.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
        ).json()
        await client.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
        await client.get(f"{USERS}/me", headers=bearer(second["access_token"]))
        await client.post(f"{AUTH}/logout", json={"refresh_token": second["refresh_token"]})
    async with engine.connect() as connection:
        password_hash = await connection.scalar(select(UserRow.password_hash))
    logs = capsys.readouterr().out

    assert "INSERT INTO users" in logs  # SQL was logged: the check below is not vacuous
    assert "refresh token reuse detected" in logs
    secrets = [PASSWORD, "too short", "wrong password", str(password_hash), EMAIL]
    for tokens in (first, second):
        secrets += [tokens["access_token"], tokens["refresh_token"]]
        secrets.append(hashlib.sha256(tokens["refresh_token"].encode()).hexdigest())
    assert [secret for secret in secrets if secret in logs] == []


LINE_KEYS = {"timestamp", "level", "logger", "message", "trace_id", "span_id", "request_id"}


async def test_each_line_names_its_request_trace_and_caller(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    async with (
        app_with(settings, log_level="DEBUG", database_echo=True) as app,
        client_for(app) as client,
    ):
        user = await register(client, EMAIL, headers={"x-request-id": "register-call"})
        tokens = await sign_in(client, EMAIL)
        me = await client.get(
            f"{USERS}/me",
            headers={
                **bearer(tokens["access_token"]),
                "x-request-id": "me-call",
                "traceparent": traceparent,
            },
        )
    assert me.status_code == 200
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_request = {
        request_id: [line for line in lines if line["request_id"] == request_id]
        for request_id in ("register-call", "me-call")
    }

    assert all(line.keys() >= LINE_KEYS for line in lines)
    assert by_request["register-call"], "registering logs SQL: the check below is not vacuous"
    assert all("user_id" not in line for line in by_request["register-call"])
    assert by_request["me-call"]
    assert {line.get("user_id") for line in by_request["me-call"]} == {user["id"]}
    assert {line["trace_id"] for line in by_request["me-call"]} == {traceparent[3:35]}
