"""Fuzzing: schemathesis sends every operation in the service's own OpenAPI document generated
requests, valid and invalid, as a signed-in user and as a signed-in admin, in both run modes,
and runs all of its default checks on every answer: no 5xx, and the status, headers and body
the document declares. The app runs in process (schemathesis's ASGI transport, on an event loop
of its own): no network.

Nothing is excluded. What would sign the fuzzer out (`POST /auth/logout`, `DELETE /users/me`, a
password change or reset) needs a refresh token, the current password or a mailed token, which
the fuzzer never has; so it stays signed in, and those operations are fuzzed like the others.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..conftest import empty_tables_and_keys, make_settings, run_mode_settings
from ..e2e.auth import access_token, app_with, bearer
{%- if cookiecutter.include_example_domain == "y" %}
from . import hooks  # noqa: F401 (registers the hooks: prices in cents)
{%- endif %}

# The seed, the budget, and the operations that may refuse schema-valid data (and why): shared
# with `schemathesis run` against a running service. (Hypothesis also draws constants from the
# modules loaded, so `pytest tests/fuzz` and the whole suite send different cases: both must pass.)
FUZZ_CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
# The document of an app that never starts: the operations are known when tests are collected.
# (`schemathesis.pytest.from_fixture` would load it from a fixture instead, but fails on pytest
# 9.2: it reads `Node._nodeid`, which pytest 9.2 no longer has.)
DOCUMENT = create_app(make_settings("sqlite+aiosqlite://")).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=FUZZ_CONFIG)


@dataclass(frozen=True)
class Target:
    app: FastAPI
    headers: dict[str, str]


@pytest.fixture(scope="module")
def fuzz_settings(run_mode: str, database_url: str, request: pytest.FixtureRequest) -> Settings:
    return run_mode_settings(run_mode, database_url, request)


@pytest.fixture(scope="module", params=["user", "admin"])
async def target(request: pytest.FixtureRequest, fuzz_settings: Settings) -> AsyncIterator[Target]:
    """An app of its own for the whole run, with a signed-in caller; its database and keys are
    emptied afterwards, as every test leaves them."""
    role = request.param
    async with app_with(fuzz_settings) as helper:
        token = await access_token(helper, f"{role}@example.com", admin=role == "admin")
    yield Target(create_app(fuzz_settings), bearer(token))
    asgi.shutdown_lifespans()  # the fuzzed app's lifespan, started by its first request
    engine = create_engine(fuzz_settings)
    await empty_tables_and_keys(engine, fuzz_settings)
    await engine.dispose()


@schema.parametrize()
def test_every_operation_answers_as_documented(case: Case[Any], target: Target) -> None:
    case.call_and_validate(app=target.app, headers=target.headers)
