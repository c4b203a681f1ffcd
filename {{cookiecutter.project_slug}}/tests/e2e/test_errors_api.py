"""Every error is a problem (RFC 9457), traced, and a 500 reveals nothing (SPEC section 6)."""

import httpx
from fastapi import FastAPI
from openapi_spec_validator import validate

from .problems import assert_problem

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_an_unknown_path_is_a_404_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/no/such/path"), 404)

    assert body["type"] == "about:blank"


async def test_a_wrong_method_is_a_405_problem_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.put("/health/live")

    assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


async def test_an_unhandled_exception_is_a_500_problem_that_reveals_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret database password is hunter2")

    response = await client.get("/boom")

    body = assert_problem(response, 500)
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert body["detail"] == "An unexpected error occurred."


async def test_an_incoming_traceparent_is_honoured(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/path", headers={"traceparent": TRACEPARENT})

    assert assert_problem(response, 404)["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_each_request_gets_its_own_trace(client: httpx.AsyncClient) -> None:
    first = assert_problem(await client.get("/nowhere"), 404)
    second = assert_problem(await client.get("/nowhere"), 404)

    assert first["trace_id"] != second["trace_id"]


async def test_the_request_id_is_echoed_or_made_up(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health/live", headers={"x-request-id": "abc-123"})
    invented = await client.get("/health/live", headers={"x-request-id": "bad id\n"})

    assert echoed.headers["x-request-id"] == "abc-123"
    assert len(invented.headers["x-request-id"]) == 32


async def test_the_openapi_document_describes_problems(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert "Problem" in schema["components"]["schemas"]


async def test_the_openapi_document_validates_against_openapi_3_1(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert schema["openapi"].startswith("3.1")
    validate(schema)  # raises, naming the first place where the document is not OpenAPI


async def test_every_operation_declares_every_status_it_may_answer(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()
    undeclared = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"413", "500", "504"}  # the body limit, a bug, the deadline
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            missing = expected - set(operation["responses"])
            if missing:
                undeclared.append(f"{method.upper()} {path}: {sorted(missing)}")

    assert undeclared == []


async def test_a_405_allows_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    # A path's routes may live apart (`GET /users/me` in one router, `DELETE` in another), and
    # `/users/me` must not pass for a malformed `/users/{user_id}`: `Allow` names every method.
    sessions = await client.request("OPTIONS", "/api/v1/auth/sessions")
    me = await client.patch("/api/v1/users/me", json={"role": "admin"})

    assert_problem(sessions, 405)
    assert_problem(me, 405)
    assert sessions.headers["allow"] == "DELETE, GET"
    assert me.headers["allow"] == "DELETE, GET"
