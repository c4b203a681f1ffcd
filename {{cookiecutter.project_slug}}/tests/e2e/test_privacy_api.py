"""Export and erasure over HTTP (GDPR articles 15, 17 and 20): the export is complete against
the tables, and an erasure, run by a real worker, leaves no trace of the email anywhere."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import (
    AuditEventRow,
{%- if cookiecutter.include_example_domain == "y" %}
    ItemRow,
{%- endif %}
    JobRow,
    RefreshTokenFamilyRow,
    UserRow,
)
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..waiting import eventually
from ..worker_process import WorkerProcess
from .auth import AUTH, PASSWORD, USERS, app_with, bearer, client_for, register, sign_in
from .privacy import cache_entries_mentioning, rows_mentioning
from .problems import assert_problem
from .test_jobs_api import FAST_RETRIES, KIND

EMAIL = "zebulon.quux@example.com"
FULL_NAME = "Zebulon Quux"


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(settings, tmp_path, FAST_RETRIES)
    process.start()
    yield process
    process.stop()


async def sign_up(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, str]]:
    """Zebulon registers, signs in, and leaves data behind; returns him and his auth header."""
    user = await register(client, EMAIL, full_name=FULL_NAME)
    headers = bearer((await sign_in(client, EMAIL))["access_token"])
{%- if cookiecutter.include_example_domain == "y" %}
    for name in ("Zebulon's bike", "Zebulon's lamp"):
        (await client.post("/api/v1/items", json={"name": name, "price": "1"}, headers=headers))
{%- endif %}
    assert (await client.post("/api/v1/jobs", json={"kind": KIND}, headers=headers)).is_success
    return user, headers


async def count(engine: AsyncEngine, table: Any, *where: Any) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(select(func.count()).select_from(table).where(*where))
    return int(found or 0)


async def test_the_export_holds_every_row_about_the_caller_and_no_hash(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    user, headers = await sign_up(client)
    await sign_in(client, EMAIL)  # a second session
    user_id = UUID(user["id"])

    response = await client.get(f"{USERS}/me/export", headers=headers)

    assert response.status_code == 200, response.text
    export = response.json()
    async with engine.connect() as connection:
        row = (await connection.execute(select(UserRow).where(UserRow.id == user_id))).one()
    columns = {column.key for column in inspect(UserRow).columns} - {"password_hash"}
    assert set(export["profile"]) == columns
    assert export["profile"]["email"] == EMAIL
    assert export["profile"]["full_name"] == FULL_NAME
    assert row.password_hash not in response.text
    assert "hash" not in response.text
    sessions = await count(engine, RefreshTokenFamilyRow, RefreshTokenFamilyRow.user_id == user_id)
    assert len(export["sessions"]) == sessions == 2
    assert {"sid", "created_at", "last_used_at", "revoked_at"} == set(export["sessions"][0])
    assert len(export["jobs"]) == await count(engine, JobRow, JobRow.owner_id == user_id) == 1
{%- if cookiecutter.include_example_domain == "y" %}
    assert len(export["items"]) == await count(engine, ItemRow, ItemRow.owner_id == user_id) == 2
{%- endif %}
    about = or_(AuditEventRow.actor_id == user_id, AuditEventRow.subject_id == user_id)
    events = await count(engine, AuditEventRow, about)
    assert len(export["audit_events"]) + 1 == events  # and the export's own event, now
    assert {event["action"] for event in export["audit_events"]} == {"sign_in.succeeded"}


async def test_erasing_ones_account_asks_for_the_password(client: httpx.AsyncClient) -> None:
    _, headers = await sign_up(client)
    wrong = {"current_password": "not my password"}

    refused = await client.request("DELETE", f"{USERS}/me", json=wrong, headers=headers)

    assert str(assert_problem(refused, 422)["type"]).endswith("/wrong-password")
    assert (await client.get(f"{USERS}/me", headers=headers)).status_code == 200


async def test_erasure_leaves_no_trace_of_the_email_in_any_table_or_cache_entry(
    settings: Settings,
    engine: AsyncEngine,
    worker: WorkerProcess,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The app is made here, not by a fixture, so that its log handler writes where capsys reads.
    async with app_with(settings) as app, client_for(app) as client:
        user, headers = await sign_up(client)
        user_id = UUID(user["id"])
        assert (await client.get(f"{USERS}/me", headers=headers)).status_code == 200
        if settings.redis_url:  # the profile is cached: the search below is not vacuous
            assert await cache_entries_mentioning(settings, EMAIL)
        assert await rows_mentioning(engine, EMAIL)

        erase = {"current_password": PASSWORD}
        accepted = await client.request("DELETE", f"{USERS}/me", json=erase, headers=headers)
        assert accepted.status_code == 202, accepted.text
        assert accepted.json() == {"user_id": str(user_id), "status": "erasure_scheduled"}
        # Signed out at once, before the job has run.
        assert_problem(await client.get(f"{USERS}/me", headers=headers), 401)

        async def erased() -> bool | None:
            named = UserRow.full_name.is_not(None)
            return True if await count(engine, UserRow, UserRow.id == user_id, named) == 0 else None

        await eventually(erased, "the erasure", context=worker.report)

        assert await rows_mentioning(engine, EMAIL) == []
        assert await rows_mentioning(engine, FULL_NAME) == []
        assert await cache_entries_mentioning(settings, EMAIL) == []
        sessions = RefreshTokenFamilyRow.user_id == user_id
        assert await count(engine, RefreshTokenFamilyRow, sessions) == 0
        assert await count(engine, JobRow, JobRow.owner_id == user_id) == 0
{%- if cookiecutter.include_example_domain == "y" %}
        assert await count(engine, ItemRow, ItemRow.owner_id == user_id) == 0
{%- endif %}
        about = or_(AuditEventRow.actor_id == user_id, AuditEventRow.subject_id == user_id)
        assert await count(engine, AuditEventRow, about) == 0  # pseudonymised, not deleted
        assert await count(engine, AuditEventRow) > 0
        # The address is free again, and signing in with it finds nothing of the old account.
        refused = await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": PASSWORD})
        assert_problem(refused, 401)
        await register(client, EMAIL)
    assert EMAIL not in capsys.readouterr().out
    assert EMAIL not in worker.log.read_text()


async def test_an_admin_erases_an_account_and_the_trail_names_the_admin(
    app: FastAPI, client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    user, headers = await sign_up(client)
    admin_id = (await admin_client.get(f"{USERS}/me")).json()["id"]

    accepted = await admin_client.delete(f"{USERS}/{user['id']}")

    assert accepted.status_code == 202, accepted.text
    assert_problem(await client.get(f"{USERS}/me", headers=headers), 401)
    trail = await admin_client.get(
        "/api/v1/audit-events",
        params={"subject_id": user["id"], "action": "account.erasure_requested"},
    )
    (event,) = trail.json()["data"]
    assert event["actor_id"] == admin_id
    assert_problem(await admin_client.delete(f"{USERS}/{admin_id}"), 409)  # not their own
    assert_problem(await admin_client.delete(f"{USERS}/{uuid4()}"), 404)
    again = await admin_client.delete(f"{USERS}/{user['id']}")  # the job will find it erased
    assert again.status_code == 202
    async with client_for(app) as anyone:
        await register(anyone, "x@example.com")
        tokens = await sign_in(anyone, "x@example.com")
        forbidden = await anyone.delete(
            f"{USERS}/{user['id']}", headers=bearer(tokens["access_token"])
        )
    assert_problem(forbidden, 403)
