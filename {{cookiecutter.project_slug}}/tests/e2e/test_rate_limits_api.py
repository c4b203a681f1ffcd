"""The rate limit on every `/api/v1` endpoint, over HTTP (SPEC section 5): headers, 429s, one
count per caller, and a limiter that fails open when Redis goes away."""

import asyncio
import importlib
import pkgutil

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from {{ cookiecutter.package_name }}.api import routers
from {{ cookiecutter.package_name }}.api.deps import Service
from {{ cookiecutter.package_name }}.api.security import Authorize
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..conftest import make_settings
from ..redis_server import RedisServer
from .auth import AUTH, USERS, app_with, client_for, register, sign_in, signed_in_client
from .problems import assert_problem

ME = f"{USERS}/me"


async def registered_token(client: httpx.AsyncClient, email: str) -> str:
    await register(client, email)
    token: str = (await sign_in(client, email))["access_token"]
    return token


def limits(response: httpx.Response) -> tuple[int, int, int]:
    headers = response.headers
    return (
        int(headers["RateLimit-Limit"]),
        int(headers["RateLimit-Remaining"]),
        int(headers["RateLimit-Reset"]),
    )


async def test_each_answer_says_where_the_caller_stands(settings: Settings) -> None:
    async with (
        app_with(settings, rate_limit_per_minute=5) as app,
        signed_in_client(app, "user@example.com") as client,
    ):
        answers = [await client.get(ME) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200] * 3
    assert [limits(answer)[:2] for answer in answers] == [(5, 4), (5, 3), (5, 2)]
    assert all(0 < limits(answer)[2] <= 60 for answer in answers)


async def test_over_the_limit_is_a_429_problem_until_the_window_ends(
    app: FastAPI, settings: Settings
) -> None:
    async with client_for(app) as anonymous:  # signed in where the limit is out of the way
        tokens = [await registered_token(anonymous, email) for email in ("ann@x.io", "bob@x.io")]
    async with (
        app_with(settings, rate_limit_per_minute=2) as limited,
        client_for(limited, tokens[0]) as client,
        client_for(limited, tokens[1]) as other,
    ):
        for _ in range(2):
            assert (await client.get(ME)).status_code == 200
        refused = await client.get(ME)
        others = await other.get(ME)

    body = assert_problem(refused, 429)
    assert str(body["type"]).endswith("rate-limit-exceeded")
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert limits(refused)[:2] == (2, 0)
    assert others.status_code == 200  # counted per user: the other user has their own limit


async def test_requests_without_a_token_count_per_client_address(settings: Settings) -> None:
    async with app_with(settings, rate_limit_per_minute=2) as app, client_for(app) as anonymous:
        form = {"username": "nobody@example.com", "password": "wrong password"}
        answers = [await anonymous.post(f"{AUTH}/token", data=form) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [401, 401, 429]
    assert [limits(answer)[1] for answer in answers] == [1, 0, 0]


async def test_probes_and_metrics_are_not_counted(client: httpx.AsyncClient) -> None:
    for path in ("/health/live", "/health/ready", "/metrics"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "RateLimit-Limit" not in response.headers


async def test_zero_switches_the_limit_off(settings: Settings) -> None:
    async with (
        app_with(settings, rate_limit_per_minute=0) as app,
        signed_in_client(app, "user@example.com") as client,
    ):
        answers = [await client.get(ME) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200] * 3
    assert all("RateLimit-Limit" not in answer.headers for answer in answers)


def _limiting_dependencies(dependant: Dependant) -> list[object]:
    found: list[object] = (
        [dependant.call] if isinstance(dependant.call, Authorize | Service) else []
    )
    for sub in dependant.dependencies:
        found.extend(_limiting_dependencies(sub))
    return found


def test_every_api_route_counts_each_request_once() -> None:
    routes = [
        route
        for module in pkgutil.iter_modules(routers.__path__)
        for route in importlib.import_module(f"{routers.__name__}.{module.name}").router.routes
        if isinstance(route, APIRoute) and route.path.startswith("/api/v1")
    ]

    assert len(routes) > 5
    for route in routes:
        assert len(_limiting_dependencies(route.dependant)) == 1, route.path


def test_every_api_operation_documents_its_429() -> None:
    # Any `/api/v1` request can be over the limit (above), so a client generated from the
    # document must expect a 429 from each operation; the account pages once declared none.
    document = create_app(make_settings("sqlite+aiosqlite://")).openapi()
    undeclared = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1")
        for method, operation in operations.items()
        if "429" not in operation["responses"]
    ]

    assert len(document["paths"]) > 5
    assert undeclared == []


async def test_without_redis_the_limit_fails_open_and_ready_recovers_by_itself(
    settings: Settings, redis_server: RedisServer
) -> None:
    async with (
        app_with(
            settings,
            redis_url=redis_server.url,
            redis_socket_timeout_seconds=0.1,
            redis_connect_timeout_seconds=0.1,
            redis_breaker_failure_threshold=1,
            redis_breaker_reset_seconds=0.2,
            rate_limit_per_minute=2,
        ) as app,
        signed_in_client(app, "user@example.com") as client,
    ):
        assert (await client.get(ME)).status_code == 200
        redis_server.stop()
        answers = [await client.get(ME) for _ in range(3)]  # over the limit, were it counted
        down = await client.get("/health/ready")
        redis_server.start()
        await asyncio.sleep(0.3)  # past the breaker's reset time: the next call may probe
        back = await client.get("/health/ready")

    assert [answer.status_code for answer in answers] == [200] * 3
    assert all("RateLimit-Limit" not in answer.headers for answer in answers)
    assert down.json()["checks"]["cache"]["status"] in {"warn", "fail"}
    # No request probed Redis since it came back: the readiness check was the probe.
    assert (back.json()["status"], back.json()["checks"]["cache"]["status"]) == ("pass", "pass")
