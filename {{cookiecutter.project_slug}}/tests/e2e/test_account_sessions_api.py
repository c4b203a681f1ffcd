"""`/api/v1/auth/sessions` and `/api/v1/users/me/password` over HTTP, with the caches on: an
ended session's access tokens are refused from the very next request."""

from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from .accounts import SESSIONS
from .auth import AUTH, PASSWORD, USERS, bearer, client_for, register, sign_in
from .problems import assert_problem

EMAIL = "ann@example.com"
NEW_PASSWORD = "a sturdy new passphrase"


async def sign_in_as(client: httpx.AsyncClient, user_agent: str) -> dict[str, Any]:
    response = await client.post(
        f"{AUTH}/token",
        data={"username": EMAIL, "password": PASSWORD},
        headers={"User-Agent": user_agent},
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def can_read_me(client: httpx.AsyncClient, tokens: dict[str, Any]) -> bool:
    response = await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"]))
    if not response.is_success:
        assert_problem(response, 401)
    return response.is_success


@pytest.fixture
async def laptop_and_phone(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    await register(client, EMAIL)
    laptop = await sign_in_as(client, "Firefox on a laptop")
    phone = await sign_in_as(client, "Safari on a phone")
    for tokens in (laptop, phone):
        assert await can_read_me(client, tokens)  # the access checks are cached now
    return laptop, phone


async def test_the_caller_sees_their_sessions_and_which_is_theirs(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, _ = laptop_and_phone

    response = await client.get(SESSIONS, headers=bearer(laptop["access_token"]))

    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"total": 2, "limit": 20, "offset": 0, "next": None}
    phone_session, laptop_session = body["data"]  # newest first
    assert (laptop_session["user_agent"], laptop_session["current"]) == (
        "Firefox on a laptop",
        True,
    )
    assert (phone_session["user_agent"], phone_session["current"]) == ("Safari on a phone", False)
    assert laptop_session["client"] == "127.0.0.1"
    assert set(laptop_session) == {
        "sid",
        "created_at",
        "last_used_at",
        "user_agent",
        "client",
        "current",
    }


async def test_ending_a_session_refuses_its_tokens_from_the_next_request(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, phone = laptop_and_phone
    listed = (await client.get(SESSIONS, headers=bearer(laptop["access_token"]))).json()["data"]
    [phone_sid] = [session["sid"] for session in listed if not session["current"]]

    response = await client.delete(
        f"{SESSIONS}/{phone_sid}", headers=bearer(laptop["access_token"])
    )

    assert (response.status_code, response.content) == (204, b"")
    assert not await can_read_me(client, phone)
    refreshed = await client.post(f"{AUTH}/refresh", json={"refresh_token": phone["refresh_token"]})
    assert_problem(refreshed, 401)
    assert await can_read_me(client, laptop)


async def test_ending_the_other_sessions_keeps_the_caller_signed_in(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, phone = laptop_and_phone

    response = await client.delete(SESSIONS, headers=bearer(laptop["access_token"]))

    assert (response.status_code, response.content) == (204, b"")
    assert not await can_read_me(client, phone)
    assert await can_read_me(client, laptop)
    listed = (await client.get(SESSIONS, headers=bearer(laptop["access_token"]))).json()
    assert [session["current"] for session in listed["data"]] == [True]


async def test_another_users_session_is_a_404_and_stays(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, _ = laptop_and_phone
    await register(client, "bob@example.com")
    bob = await sign_in(client, "bob@example.com")
    [bob_session] = (await client.get(SESSIONS, headers=bearer(bob["access_token"]))).json()["data"]

    for sid in (bob_session["sid"], str(uuid4())):
        response = await client.delete(f"{SESSIONS}/{sid}", headers=bearer(laptop["access_token"]))
        assert_problem(response, 404)
    assert await can_read_me(client, bob)
    assert_problem(
        await client.delete(f"{SESSIONS}/not-an-id", headers=bearer(laptop["access_token"])), 422
    )


async def test_sessions_need_a_signed_in_caller(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(SESSIONS), 401)
    assert_problem(await client.delete(SESSIONS), 401)


async def test_changing_the_password_ends_the_other_sessions(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, phone = laptop_and_phone

    response = await client.post(
        f"{USERS}/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(laptop["access_token"]),
    )

    assert (response.status_code, response.content) == (204, b"")
    assert not await can_read_me(client, phone)
    assert await can_read_me(client, laptop)
    assert_problem(
        await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": PASSWORD}), 401
    )
    assert await sign_in(client, EMAIL, NEW_PASSWORD)


async def test_a_wrong_current_password_changes_nothing(
    client: httpx.AsyncClient, laptop_and_phone: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    laptop, phone = laptop_and_phone

    response = await client.post(
        f"{USERS}/me/password",
        json={"current_password": "not the password", "new_password": NEW_PASSWORD},
        headers=bearer(laptop["access_token"]),
    )

    body = assert_problem(response, 422)
    assert str(body["type"]).endswith("wrong-password")
    assert await can_read_me(client, phone)
    assert await sign_in(client, EMAIL, PASSWORD)


async def test_weak_passwords_are_refused_on_registration_and_change(app: FastAPI) -> None:
    async with client_for(app) as client:
        for password, why in [
            ("password123", "too easy to guess"),
            ("qwertyuiop", "too easy to guess"),
            ("annabel's new passphrase", "email address's name"),
        ]:
            refused = await client.post(
                f"{AUTH}/register", json={"email": "annabel@example.com", "password": password}
            )
            assert why in str(assert_problem(refused, 422)["detail"])
        await register(client, "annabel@example.com")
        tokens = await sign_in(client, "annabel@example.com")
        changed = await client.post(
            f"{USERS}/me/password",
            json={"current_password": PASSWORD, "new_password": "password123"},
            headers=bearer(tokens["access_token"]),
        )
        body = assert_problem(changed, 422)
    assert "passphrase of a few unrelated words" in str(body["detail"])
