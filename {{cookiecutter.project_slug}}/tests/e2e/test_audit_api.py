"""`/api/v1/audit-events` over HTTP: sign-ins recorded with the client and the trace, filters,
pagination, and the trail closed to anyone but administrators."""

import httpx
import pytest

from .auth import AUTH, PASSWORD, register
from .problems import TRACE_ID, assert_problem

EVENTS = "/api/v1/audit-events"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_sign_ins_are_on_the_trail_with_client_and_trace(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    user = await register(client, "ann@example.com")
    wrong = {"username": "ann@example.com", "password": "not the password"}
    assert (await client.post(f"{AUTH}/token", data=wrong)).status_code == 401
    right = {"username": "ann@example.com", "password": PASSWORD}
    signed_in = await client.post(f"{AUTH}/token", data=right, headers={"traceparent": TRACEPARENT})
    assert signed_in.status_code == 200

    response = await admin_client.get(EVENTS, params={"subject_id": user["id"]})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {"total": 2, "limit": 20, "offset": 0, "next": None}
    succeeded, failed = body["data"]  # newest first
    assert (succeeded["action"], failed["action"]) == ("sign_in.succeeded", "sign_in.failed")
    assert succeeded["actor_id"] == user["id"]
    assert failed["actor_id"] is None
    assert succeeded["client"] == failed["client"] == "127.0.0.1"
    assert succeeded["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert TRACE_ID.match(failed["trace_id"])
    assert "ann@example.com" not in response.text


async def test_the_trail_filters_and_pages(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    for _ in range(3):
        wrong = {"username": "nobody@example.com", "password": "not the password"}
        assert (await client.post(f"{AUTH}/token", data=wrong)).status_code == 401

    failed = await admin_client.get(
        EVENTS, params={"action": "sign_in.failed", "limit": 2, "offset": 1}
    )
    future = await admin_client.get(EVENTS, params={"since": "2999-01-01T00:00:00Z"})
    unknown = await admin_client.get(EVENTS, params={"action": "made.up"})

    assert failed.json()["meta"] == {"total": 3, "limit": 2, "offset": 1, "next": None}
    assert len(failed.json()["data"]) == 2
    assert future.json()["data"] == []
    assert_problem(unknown, 422)


@pytest.mark.parametrize(
    ("name", "value"),
    [("until", "0.5"), ("since", "2026-01-31"), ("since", "2026-01-31T09:30:00")],
)
async def test_times_are_rfc_3339_date_times(
    admin_client: httpx.AsyncClient, name: str, value: str
) -> None:
    # What `format: date-time` promises: seconds since 1970, a bare date or no offset are refused.
    body = assert_problem(await admin_client.get(EVENTS, params={name: value}), 422)

    assert [error["field"] for error in body["errors"]] == [f"query.{name}"]  # type: ignore[attr-defined]
    lower_case = await admin_client.get(EVENTS, params={name: "2026-01-31t09:30:00.5+02:00"})
    assert lower_case.status_code == 200, lower_case.text


async def test_only_administrators_read_the_trail(user_client: httpx.AsyncClient) -> None:
    assert_problem(await user_client.get(EVENTS), 403)
