"""The N+1 guard: every endpoint's SQL statements per request, bounded, and list endpoints
costing the same whatever the page size, so that a relationship that starts loading lazily (one
query per row) fails here rather than in production.

Counted with the caches off (the `settings` fixture below): every read then reaches the database,
as on a cold cache. With them on, a warm cache would answer the read and hide a new query behind it.
What is counted, and what is not (the driver's own BEGIN and ROLLBACK): tests/statement_counter.py.
"""

from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import RefreshTokenFamilyRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..statement_counter import counting_statements
from .accounts import deliver_reset_mail, token_in
from .auth import PASSWORD, USERS, register, signed_in_client
from .test_jobs_api import KIND

# Access check + the user + the audit event + one query a table: sessions, jobs{% if cookiecutter.include_example_domain == "y" %}, items{% endif %}, the trail.
EXPORT_BOUND = {% if cookiecutter.include_example_domain == "y" %}7{% else %}6{% endif %}
# The most statements one successful request may send, per endpoint as the OpenAPI document
# names it. Tight on purpose: when a change lowers a count, lower its bound too (README, Develop).
BOUNDS: dict[str, int] = {
    "GET /health/live": 0,  # touches no dependency
    "GET /health/ready": 1,  # the database check's SELECT 1
    "POST /api/v1/auth/register": 2,  # insert the user + the welcome mail's outbox message
    "POST /api/v1/auth/token": 4,  # user by email + insert the session, its token, the audit event
    "POST /api/v1/auth/refresh": 4,  # token with its session + user + spend it + insert the next
    "POST /api/v1/auth/logout": 3,  # token with its session + revoke the session + audit
    "POST /api/v1/auth/password-reset": 3,  # user by email + the mail's outbox message + audit
    # token + user, then both locked + set the password + spend tokens + end sessions + audit
    "POST /api/v1/auth/password-reset/confirm": 9,
    "GET /api/v1/auth/sessions": 2,  # access check + the live sessions
    "DELETE /api/v1/auth/sessions": 4,  # access check + find and end the others + audit
    "DELETE /api/v1/auth/sessions/{sid}": 4,  # access check + live sessions + end one + audit
    # access check + user, then locked + set it + spend reset tokens + end the others + audit
    "POST /api/v1/users/me/password": 8,
    "GET /api/v1/users/me": 2,  # access check + the user
    "GET /api/v1/users": 3,  # access check + count + the page
    "PATCH /api/v1/users/{user_id}": 4,  # access check + the user, locked + update + audit
    "GET /api/v1/users/me/export": EXPORT_BOUND,
    # Access check + the user, locked + deactivate + live sessions + revoke them + the audit
    # events (one INSERT) + the erasure's outbox message; the owner's route reads the user
    # first, to check the password outside the transaction.
    "DELETE /api/v1/users/me": 8,
    "DELETE /api/v1/users/{user_id}": 7,
    "GET /api/v1/audit-events": 3,  # access check + count + the page
    "POST /api/v1/jobs": 3,  # access check + insert the job + its outbox message
    "GET /api/v1/jobs/{job_id}": 2,  # access check + the job
{%- if cookiecutter.include_example_domain == "y" %}
    "POST /api/v1/items": 2,  # access check + insert
    "GET /api/v1/items": 3,  # access check + count + the page
    "GET /api/v1/items/{item_id}": 2,  # access check + the item
    "PATCH /api/v1/items/{item_id}": 3,  # access check + the item, locked + update
    "DELETE /api/v1/items/{item_id}": 3,  # access check + the item, locked + delete
{%- endif %}
    "POST /api/v1/service-clients": 3,  # access check + insert + audit
    "GET /api/v1/service-clients": 3,  # access check + count + the page
    # access check + the client, locked + update + audit
    "POST /api/v1/service-clients/{client_id}/rotate": 4,
    "DELETE /api/v1/service-clients/{client_id}": 4,
}
# Enough rows that a query per row could not hide in the difference between two pages.
LARGE_PAGE = 50


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The caches off, so that every read is a database read (see the module's docstring)."""
    return settings.model_copy(update={"cache_enabled": False})


async def within_bound(
    client: httpx.AsyncClient, endpoint: str, *, path: dict[str, str] | None = None, **request: Any
) -> httpx.Response:
    """Call `endpoint` ("METHOD /path/{param}") and check its statements against its bound."""
    method, template = endpoint.split(" ", 1)
    with counting_statements() as log:
        response = await client.request(method, template.format(**(path or {})), **request)
    assert response.is_success, response.text  # the bound is for the request that does its work
    log.assert_at_most(BOUNDS[endpoint], endpoint)
    return response


async def assert_same_statements_for_any_page_size(client: httpx.AsyncClient, url: str) -> None:
    """A page of one row and a page of `LARGE_PAGE` rows cost the same statements."""
    logs = []
    for limit in (1, LARGE_PAGE):
        with counting_statements() as log:
            response = await client.get(url, params={"limit": limit})
        assert len(response.json()["data"]) == limit  # the large page is full: not a vacuous test
        logs.append(log)
    small, large = logs
    assert len(large.queries) == len(small.queries), (
        f"{url}: {len(small.queries)} statements for 1 row, {len(large.queries)} for "
        f"{LARGE_PAGE}:\n{large}"
    )


def test_every_endpoint_has_a_bound(app: FastAPI) -> None:
    endpoints = {
        f"{method.upper()} {path}"
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }

    assert endpoints == set(BOUNDS)


async def test_health_endpoints_stay_within_their_bounds(client: httpx.AsyncClient) -> None:
    await within_bound(client, "GET /health/live")
    await within_bound(client, "GET /health/ready")


async def test_auth_endpoints_stay_within_their_bounds(client: httpx.AsyncClient) -> None:
    email = "counted@example.com"
    await within_bound(
        client, "POST /api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    tokens = await within_bound(
        client, "POST /api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    refresh_token = tokens.json()["refresh_token"]
    tokens = await within_bound(
        client, "POST /api/v1/auth/refresh", json={"refresh_token": refresh_token}
    )
    refresh_token = tokens.json()["refresh_token"]
    await within_bound(client, "POST /api/v1/auth/logout", json={"refresh_token": refresh_token})


async def test_account_endpoints_stay_within_their_bounds(
    app: FastAPI, engine: AsyncEngine, user_client: httpx.AsyncClient
) -> None:
    await within_bound(user_client, "GET /api/v1/auth/sessions")
    await within_bound(user_client, "DELETE /api/v1/auth/sessions")
    [session] = (await user_client.get("/api/v1/auth/sessions")).json()["data"]
    await within_bound(
        user_client,
        "POST /api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a sturdy new passphrase"},
    )
    await within_bound(
        user_client, "POST /api/v1/auth/password-reset", json={"email": "user@example.com"}
    )
    token = token_in(await deliver_reset_mail(app, engine))
    await within_bound(
        user_client,
        "POST /api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "another sturdy passphrase"},
    )
    async with signed_in_client(app, "bob@example.com") as bob:
        [bob_session] = (await bob.get("/api/v1/auth/sessions")).json()["data"]
        await within_bound(
            bob, "DELETE /api/v1/auth/sessions/{sid}", path={"sid": bob_session["sid"]}
        )
    assert session["current"]


async def test_user_endpoints_stay_within_their_bounds(
    user_client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    me = (await within_bound(user_client, "GET /api/v1/users/me")).json()
    await within_bound(admin_client, "GET /api/v1/users")
    await within_bound(
        admin_client,
        "PATCH /api/v1/users/{user_id}",
        path={"user_id": me["id"]},
        json={"role": "admin"},
    )


async def test_privacy_and_audit_endpoints_stay_within_their_bounds(
    app: FastAPI, user_client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    await within_bound(user_client, "GET /api/v1/users/me/export")
    await within_bound(admin_client, "GET /api/v1/audit-events")
    async with signed_in_client(app, "erased@example.com") as erased:
        user_id = (await erased.get(f"{USERS}/me")).json()["id"]
    await within_bound(admin_client, "DELETE /api/v1/users/{user_id}", path={"user_id": user_id})
    await within_bound(user_client, "DELETE /api/v1/users/me", json={"current_password": PASSWORD})


async def test_service_client_endpoints_stay_within_their_bounds(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    body = {"name": "counted", "permissions": ["users:read"]}
    created = (await within_bound(admin_client, "POST /api/v1/service-clients", json=body)).json()
    await within_bound(admin_client, "GET /api/v1/service-clients")
    path = {"client_id": created["id"]}
    rotated = await within_bound(
        admin_client, "POST /api/v1/service-clients/{client_id}/rotate", path=path
    )
    grant = {"grant_type": "client_credentials", "client_id": created["id"]}
    with counting_statements() as log:
        signed_in = await client.post(
            "/api/v1/auth/token", data={**grant, "client_secret": rotated.json()["client_secret"]}
        )
    assert signed_in.is_success, signed_in.text
    log.assert_at_most(1, "the client-credentials grant")  # the client by id
    await within_bound(admin_client, "DELETE /api/v1/service-clients/{client_id}", path=path)


async def test_job_endpoints_stay_within_their_bounds(user_client: httpx.AsyncClient) -> None:
    job = (await within_bound(user_client, "POST /api/v1/jobs", json={"kind": KIND})).json()
    await within_bound(user_client, "GET /api/v1/jobs/{job_id}", path={"job_id": job["id"]})


async def test_the_user_list_costs_the_same_for_any_page_size(
    admin_client: httpx.AsyncClient,
) -> None:
    for n in range(LARGE_PAGE - 1):  # the admin is the first user
        await register(admin_client, f"user{n}@example.com")

    await assert_same_statements_for_any_page_size(admin_client, USERS)


async def test_the_guard_fails_a_list_that_loads_each_row_lazily(
    admin_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """The guard can fail: a page followed by one query per row, the shape a lazily loaded
    relationship gives, exceeds the list's bound, and the failure names every statement."""
    for n in range(4):
        await register(admin_client, f"user{n}@example.com")
    endpoint = f"GET {USERS}"

    # The per-row queries go through the test's own engine: the counter hears every engine,
    # as it would hear a lazy load on the app's.
    with counting_statements() as log:
        page = (await admin_client.get(USERS)).json()["data"]
        async with engine.connect() as connection:
            for user in page:
                sessions = select(RefreshTokenFamilyRow).where(
                    RefreshTokenFamilyRow.user_id == UUID(user["id"])
                )
                await connection.execute(sessions)

    with pytest.raises(AssertionError, match=f"more than the bound of {BOUNDS[endpoint]}") as error:
        log.assert_at_most(BOUNDS[endpoint], endpoint)
    assert str(error.value).count("FROM refresh_token_families WHERE") == len(page) == 5
