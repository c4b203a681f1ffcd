"""Attacks on authentication and authorization, over HTTP. Each one must end in a 401 or 403."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import UserRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..tokens import hs256_token, unsigned_token, write_key_pair
from .auth import AUTH, USERS, app_with, bearer, client_for, register, sign_in
from .problems import assert_problem

EMAIL = "ann@example.com"
Forgery = Callable[[dict[str, Any], str], str]


def resigned(**changes: Any) -> Forgery:
    """The victim's real claims with `changes` (None removes a claim), signed with the real key:
    only the claim checks stand between such a token and the API."""

    def forge(claims: dict[str, Any], secret: str) -> str:
        changed = {**claims, **changes}
        return jwt.encode({k: v for k, v in changed.items() if v is not None}, secret, "HS256")

    return forge


FORGERIES: dict[str, Forgery] = {
    "alg none": lambda claims, _: unsigned_token(claims),
    "bad signature": lambda claims, _: hs256_token(claims, b"guessed-secret"),
    "wrong issuer": resigned(iss="https://evil.example"),
    "wrong audience": resigned(aud="another-service"),
    "refresh typ": resigned(typ="refresh"),
    "no typ": resigned(typ=None),
    "expired": resigned(exp=int(datetime.now(UTC).timestamp()) - 3600),
    "missing sub": resigned(sub=None),
    "missing sid": resigned(sid=None),
    "another user's sub": resigned(sub="00000000-0000-0000-0000-000000000001"),
}


@pytest.mark.parametrize("attack", list(FORGERIES))
async def test_a_forged_token_is_a_401(
    client: httpx.AsyncClient, settings: Settings, attack: str
) -> None:
    await register(client, EMAIL)
    access_token = (await sign_in(client, EMAIL))["access_token"]
    claims = jwt.decode(access_token, options={"verify_signature": False})

    forged = FORGERIES[attack](claims, settings.secret_key)
    response = await client.get(f"{USERS}/me", headers=bearer(forged))

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert (await client.get(f"{USERS}/me", headers=bearer(access_token))).is_success


async def test_the_rs256_public_key_is_no_hs256_secret(settings: Settings, tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path)
    keys = {"jwt_private_key_file": str(private), "jwt_public_key_file": str(public)}
    async with app_with(settings, **keys) as app, client_for(app) as client:
        await register(client, EMAIL)
        genuine = (await sign_in(client, EMAIL))["access_token"]
        claims = jwt.decode(genuine, options={"verify_signature": False})

        forged = hs256_token(claims, public.read_bytes())

        assert jwt.get_unverified_header(genuine)["alg"] == "RS256"
        assert (await client.get(f"{USERS}/me", headers=bearer(genuine))).is_success
        assert_problem(await client.get(f"{USERS}/me", headers=bearer(forged)), 401)


@pytest.mark.parametrize(
    "authorization", ["Basic YW5uOnNlY3JldA==", "Bearer", "Bearer not-a-jwt", "Token abc"]
)
async def test_malformed_authorization_is_a_401(
    client: httpx.AsyncClient, authorization: str
) -> None:
    assert_problem(await client.get(f"{USERS}/me", headers={"Authorization": authorization}), 401)


async def test_a_token_in_the_query_string_is_ignored(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    access_token = (await sign_in(client, EMAIL))["access_token"]

    response = await client.get(f"{USERS}/me", params={"access_token": access_token})

    assert_problem(response, 401)


async def test_tokens_cannot_stand_in_for_each_other(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    tokens = await sign_in(client, EMAIL)

    as_access = await client.get(f"{USERS}/me", headers=bearer(tokens["refresh_token"]))
    as_refresh = await client.post(
        f"{AUTH}/refresh", json={"refresh_token": tokens["access_token"]}
    )

    assert_problem(as_access, 401)
    assert_problem(as_refresh, 401)


async def test_a_deleted_users_token_is_refused(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    user = await register(client, EMAIL)
    access_token = (await sign_in(client, EMAIL))["access_token"]
    async with engine.begin() as connection:
        await connection.execute(delete(UserRow).where(UserRow.email == EMAIL))

    response = await client.get(f"{USERS}/me", headers=bearer(access_token))

    assert_problem(response, 401)
    assert user["id"] not in response.text


async def test_a_deactivated_users_token_is_refused(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    user = await register(client, EMAIL)
    access_token = (await sign_in(client, EMAIL))["access_token"]

    await admin_client.patch(f"{USERS}/{user['id']}", json={"is_active": False})

    assert_problem(await client.get(f"{USERS}/me", headers=bearer(access_token)), 401)


async def test_a_replayed_refresh_token_locks_out_both_holders(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    victim = await sign_in(client, EMAIL)
    attacker_copy = victim["refresh_token"]
    rotated = (
        await client.post(f"{AUTH}/refresh", json={"refresh_token": victim["refresh_token"]})
    ).json()

    replay = await client.post(f"{AUTH}/refresh", json={"refresh_token": attacker_copy})

    assert_problem(replay, 401)
    for access_token in (victim["access_token"], rotated["access_token"]):
        assert_problem(await client.get(f"{USERS}/me", headers=bearer(access_token)), 401)


async def test_logout_revokes_the_access_tokens_too(client: httpx.AsyncClient) -> None:
    await register(client, EMAIL)
    tokens = await sign_in(client, EMAIL)
    other_session = await sign_in(client, EMAIL)

    await client.post(f"{AUTH}/logout", json={"refresh_token": tokens["refresh_token"]})

    assert_problem(await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"])), 401)
    other = await client.get(f"{USERS}/me", headers=bearer(other_session["access_token"]))
    assert other.is_success  # only that session ended


async def test_registering_as_admin_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{AUTH}/register",
        json={"email": EMAIL, "password": "x" * 12, "role": "admin"},
    )

    assert_problem(response, 422)
    assert (await register(client, EMAIL))["role"] == "user"


async def test_a_user_cannot_promote_themselves(user_client: httpx.AsyncClient) -> None:
    own_id = (await user_client.get(f"{USERS}/me")).json()["id"]

    assert_problem(await user_client.patch(f"{USERS}/{own_id}", json={"role": "admin"}), 403)
    # No PATCH on one's own account: a 405, not an id the route would try to read.
    assert_problem(await user_client.patch(f"{USERS}/me", json={"role": "admin"}), 405)
    assert (await user_client.get(f"{USERS}/me")).json()["role"] == "user"
