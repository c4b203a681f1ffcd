"""`/api/v1/auth` registration and sign-in over HTTP: SPEC section 5, row by row."""

from typing import Any

import httpx
import jwt
import pytest

from {{ cookiecutter.package_name }}.shared.settings import Settings

from .auth import AUTH, PASSWORD, USERS, app_with, bearer, client_for, register, sign_in
from .problems import assert_problem

EMAIL = "ann@example.com"


async def test_register_answers_201_with_a_plain_user(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{AUTH}/register",
        json={"email": "Ann@Example.com", "password": PASSWORD, "full_name": "Ann"},
    )

    assert response.status_code == 201
    user = response.json()
    assert set(user) == {"id", "email", "full_name", "role", "is_active", "created_at"}
    assert (user["email"], user["full_name"], user["role"], user["is_active"]) == (
        EMAIL,
        "Ann",
        "user",
        True,
    )
    assert PASSWORD not in response.text


async def test_register_an_existing_email_is_a_409(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)

    response = await client.post(
        f"{AUTH}/register", json={"email": "ANN@example.com", "password": PASSWORD}
    )

    assert str(assert_problem(response, 409)["type"]).endswith("email-taken")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": EMAIL, "password": "x" * 7}, "body.password"),
        ({"email": EMAIL, "password": "x" * 129}, "body.password"),
        ({"email": "not-an-email", "password": PASSWORD}, "body.email"),
        ({"email": EMAIL}, "body.password"),
        ({"email": EMAIL, "password": PASSWORD, "full_name": ""}, "body.full_name"),
        ({"email": EMAIL, "password": PASSWORD, "role": "admin"}, "body.role"),
        ({"email": EMAIL, "password": PASSWORD, "is_active": True}, "body.is_active"),
    ],
)
async def test_invalid_registration_is_a_422_and_creates_nobody(
    client: httpx.AsyncClient, payload: dict[str, Any], field: str
) -> None:
    response = await client.post(f"{AUTH}/register", json=payload)

    body = assert_problem(response, 422)
    assert field in [error["field"] for error in body["errors"]]  # type: ignore[attr-defined]
    assert str(payload.get("password")) not in response.text  # never echoed
    await register(client, EMAIL)  # the address is still free


async def test_token_answers_a_bearer_pair(client: httpx.AsyncClient) -> None:
    user = await register(client, EMAIL)

    response = await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": PASSWORD})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("bearer", 900)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["typ"]) == (user["id"], "user", "access")
    assert (await client.get(f"{USERS}/me", headers=bearer(body["access_token"]))).json() == user


@pytest.mark.parametrize(
    ("username", "password"),
    [(EMAIL, "wrong password"), ("nobody@example.com", PASSWORD), (EMAIL, "")],
)
async def test_wrong_credentials_are_one_and_the_same_401(
    client: httpx.AsyncClient, username: str, password: str
) -> None:
    await register(client, EMAIL)

    response = await client.post(f"{AUTH}/token", data={"username": username, "password": password})

    if password:
        body = assert_problem(response, 401)
        assert body["detail"] == "Incorrect email or password."
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        # The password grant without its password: RFC 6749's `invalid_request`.
        assert assert_problem(response, 400)["error"] == "invalid_request"


async def test_an_account_is_locked_after_repeated_failures(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    for _ in range(5):
        failed = await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": "guess"})
        assert_problem(failed, 401)

    response = await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": PASSWORD})

    assert_problem(response, 429)
    assert 1 <= int(response.headers["retry-after"]) <= 900


async def test_a_client_is_locked_after_failing_across_accounts(
    client: httpx.AsyncClient,
) -> None:
    for n in range(20):
        await client.post(f"{AUTH}/token", data={"username": f"u{n}@example.com", "password": "x"})

    response = await client.post(f"{AUTH}/token", data={"username": EMAIL, "password": "x"})

    assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1


async def test_a_password_hashed_with_old_parameters_is_rehashed_at_login(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await register(client, EMAIL)  # hashed with time cost 1 (see make_settings)

    async with app_with(settings, password_hash_time_cost=2) as app, client_for(app) as upgraded:
        await sign_in(upgraded, EMAIL)
        async with app.state.dependencies.unit_of_work() as uow:
            user = await uow.users.get_by_email(EMAIL)

    assert user is not None
    assert ",t=2," in user.password_hash
    await sign_in(client, EMAIL)  # the new hash still verifies where the old cost is set
