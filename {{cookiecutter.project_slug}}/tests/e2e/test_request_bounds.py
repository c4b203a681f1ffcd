"""What every request may cost and what every response says: the body limit (413), the
deadline (504), security headers, and the docs pages off in production (docs/operations.md)."""

import asyncio
from collections.abc import AsyncIterator

import httpx

from {{ cookiecutter.package_name }}.shared.settings import Environment, Settings

from .auth import AUTH, PASSWORD, app_with, client_for
from .problems import assert_problem

API_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/health/ready"), await client.get("/no/such/path")):
        assert {name: response.headers.get(name) for name in API_HEADERS} == API_HEADERS
        assert "strict-transport-security" not in response.headers


async def test_the_docs_page_gets_a_policy_it_works_under(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    policy = response.headers["content-security-policy"]
    assert response.status_code == 200
    assert "script-src 'self' 'unsafe-inline';" in policy  # its own assets, and nothing else
    assert "/static-offline-docs/swagger-ui-bundle.js" in response.text  # what it loads


async def test_hsts_is_sent_once_configured(settings: Settings) -> None:
    async with app_with(settings, hsts_seconds=31536000) as app, client_for(app) as client:
        response = await client.get("/health/ready")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_a_declared_body_over_the_limit_is_refused_unread(settings: Settings) -> None:
    async with app_with(settings, max_body_bytes=1000) as app, client_for(app) as client:
        response = await client.post(f"{AUTH}/register", content=b"x" * 1001)

    body = assert_problem(response, 413)
    assert body["detail"] == "The request body exceeds 1000 bytes."
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_chunked_body_over_the_limit_is_a_413(settings: Settings) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 200

    async with app_with(settings, max_body_bytes=1000) as app, client_for(app) as client:
        response = await client.post(
            f"{AUTH}/register", content=chunks(), headers={"content-type": "application/json"}
        )

    assert "content-length" not in response.request.headers
    assert_problem(response, 413)


async def test_a_body_within_the_limit_is_served(settings: Settings) -> None:
    body = {"email": "ann@example.com", "password": PASSWORD}
    async with app_with(settings, max_body_bytes=1000) as app, client_for(app) as client:
        response = await client.post(f"{AUTH}/register", json=body)

    assert response.status_code == 201


async def test_past_the_deadline_the_work_is_cancelled_and_answered_504(
    settings: Settings,
) -> None:
    outcome: list[str] = []
    async with app_with(settings, request_timeout_seconds=0.2) as app:

        @app.get("/slow")
        async def slow() -> None:
            try:
                await asyncio.sleep(5)
                outcome.append("finished")
            except asyncio.CancelledError:
                outcome.append("cancelled")
                raise

        async with client_for(app) as client:
            response = await client.get("/slow")

    body = assert_problem(response, 504)
    assert "cancelled" in str(body["detail"])
    assert outcome == ["cancelled"]


async def test_the_docs_are_off_in_production_unless_enabled(settings: Settings) -> None:
    production = Environment.PRODUCTION
    for docs_enabled, expected in ((None, 404), (True, 200)):
        async with (
            app_with(settings, environment=production, docs_enabled=docs_enabled) as app,
            client_for(app) as client,
        ):
            statuses = {(await client.get(path)).status_code for path in ("/docs", "/openapi.json")}

        assert statuses == {expected}
