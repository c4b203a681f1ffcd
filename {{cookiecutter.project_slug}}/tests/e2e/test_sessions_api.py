"""`/api/v1/auth/refresh` and `/logout` over HTTP: rotation, reuse detection, logout."""

import httpx
import pytest

from {{ cookiecutter.package_name }}.shared.settings import Settings

from .auth import AUTH, USERS, app_with, bearer, client_for, register, sign_in
from .problems import assert_problem

EMAIL = "ann@example.com"


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(f"{AUTH}/refresh", json={"refresh_token": refresh_token})


async def test_refresh_answers_a_new_pair_and_spends_the_old_token(
    client: httpx.AsyncClient,
) -> None:
    await register(client, EMAIL)
    first = await sign_in(client, EMAIL)

    response = await refresh(client, first["refresh_token"])

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get(f"{USERS}/me", headers=bearer(second["access_token"]))).is_success


async def test_a_reused_refresh_token_revokes_its_whole_family(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    first = await sign_in(client, EMAIL)
    second = (await refresh(client, first["refresh_token"])).json()

    reused = await refresh(client, first["refresh_token"])

    assert_problem(reused, 401)
    assert reused.headers["www-authenticate"] == "Bearer"
    assert_problem(await refresh(client, second["refresh_token"]), 401)
    for access_token in (first["access_token"], second["access_token"]):
        assert_problem(await client.get(f"{USERS}/me", headers=bearer(access_token)), 401)
    other_session = await sign_in(client, EMAIL)  # signing in again starts afresh
    assert (await refresh(client, other_session["refresh_token"])).is_success


async def test_reuse_within_the_grace_period_revokes_nothing(settings: Settings) -> None:
    async with app_with(settings, refresh_reuse_grace_seconds=60) as app, client_for(app) as client:
        await register(client, EMAIL)
        first = await sign_in(client, EMAIL)
        second = (await refresh(client, first["refresh_token"])).json()

        assert_problem(await refresh(client, first["refresh_token"]), 401)

        assert (await refresh(client, second["refresh_token"])).is_success


@pytest.mark.parametrize("token", ["", "x" * 513])
async def test_a_malformed_refresh_body_is_a_422(client: httpx.AsyncClient, token: str) -> None:
    assert_problem(await refresh(client, token), 422)


async def test_logout_answers_204_and_ends_the_session(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    tokens = await sign_in(client, EMAIL)

    response = await client.post(f"{AUTH}/logout", json={"refresh_token": tokens["refresh_token"]})

    assert (response.status_code, response.content) == (204, b"")
    assert_problem(await refresh(client, tokens["refresh_token"]), 401)
    me = await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"]))
    assert_problem(me, 401)
    assert me.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_logout_of_an_unknown_token_is_204_too(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{AUTH}/logout", json={"refresh_token": "never issued"})

    assert response.status_code == 204
