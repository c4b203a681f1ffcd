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
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
{%- if cookiecutter.include_example_domain == "y" %}
from schemathesis import Case, HookContext
{%- else %}
from schemathesis import Case
{%- endif %}
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..conftest import empty_tables_and_keys, make_settings, run_mode_settings
from ..e2e.auth import access_token, app_with, bearer

# A 422 the document cannot rule out: the service checks these against what it holds (the
# password's strength or the caller's current one, a mailed token, a cursor it signed), so a
# request the schema allows may still be refused. Only these operations may answer schema-valid
# data with a 422; anywhere else it means the document and the validation disagree.
REFUSED_BY_WHAT_THE_SERVICE_HOLDS = [
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("POST", "/api/v1/users/me/password"),
    ("DELETE", "/api/v1/users/me"),
{%- if cookiecutter.include_example_domain == "y" %}
    ("GET", "/api/v1/items"),
{%- endif %}
    ("GET", "/api/v1/users"),
    ("GET", "/api/v1/auth/sessions"),
    ("GET", "/api/v1/audit-events"),
]
ACCEPTED_WITH_A_422 = ["2xx", "3xx", 401, 403, 404, 409, 422, 429]

FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {
        # The same cases on every run of the same command, so a failure reproduces. (Hypothesis
        # also draws constants from the modules loaded, so `pytest tests/fuzz` and the whole
        # suite send different cases: both must pass.)
        "seed": 20261205,
        # Per operation: the fuzzing phase's budget; the examples and coverage phases (boundary
        # values, missing and malformed parameters) add their own cases on top.
        "generation": {"max-examples": 10, "database": "none"},
        "operations": [
            {
                "include-method": method,
                "include-path": path,
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_WITH_A_422}},
            }
            for method, path in REFUSED_BY_WHAT_THE_SERVICE_HOLDS
        ],
    }
)
# The document of an app that never starts: the operations are known when tests are collected.
# (`schemathesis.pytest.from_fixture` would load it from a fixture instead, but fails on pytest
# 9.2: it reads `Node._nodeid`, which pytest 9.2 no longer has.)
DOCUMENT = create_app(make_settings("sqlite+aiosqlite://")).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=FUZZ_CONFIG)

{%- if cookiecutter.include_example_domain == "y" %}


@schema.hook
def map_body(context: HookContext, body: Any) -> Any:
    """Prices in cents. A JSON number has no decimal places to declare: the document cannot say
    that the service refuses a price with more than two (a 422), so generated prices keep to two.
    (Whatever the fuzzer sends, a 5xx or an undeclared answer still fails the test.)"""
    if isinstance(body, dict) and isinstance(body.get("price"), float):
        return {**body, "price": round(body["price"], 2)}
    return body
{%- endif %}


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
