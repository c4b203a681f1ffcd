"""Passwords, password hashes and tokens never reach the logs, even with SQL logging on."""

import hashlib

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
    secrets = [PASSWORD, "too short", "wrong password", str(password_hash)]
    for tokens in (first, second):
        secrets += [tokens["access_token"], tokens["refresh_token"]]
        secrets.append(hashlib.sha256(tokens["refresh_token"].encode()).hexdigest())
    assert [secret for secret in secrets if secret in logs] == []
