"""`/api/v1/users` over HTTP: one's own account, and administration (SPEC section 5)."""

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.api.deps import signed_in_user
from {{ cookiecutter.package_name }}.api.security import Authorized
from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User, UserProfile

from .auth import AUTH, PASSWORD, USERS, bearer, make_admin, register, sign_in
from .problems import assert_problem


async def me(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get(f"{USERS}/me")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_me_is_the_callers_account(user_client: httpx.AsyncClient) -> None:
    body = await me(user_client)

    assert set(body) == {"id", "email", "full_name", "role", "is_active", "created_at"}
    assert (body["email"], body["role"], body["is_active"]) == ("user@example.com", "user", True)


async def test_a_test_can_stand_in_for_the_caller_with_dependency_overrides(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """How a test replaces a route's caller and service: FastAPI's own mechanism (deps.py)."""
    stub = User(email="stub@example.com", password_hash="not-a-hash")

    class OneUser:
        async def profile(self, user_id: UUID) -> UserProfile:
            assert user_id == stub.id
            return stub.profile

    app.dependency_overrides[signed_in_user] = lambda: Authorized(
        Actor(stub.id, Role.USER), OneUser()
    )
    try:
        response = await client.get(f"{USERS}/me")  # no token: the override is the caller
    finally:
        app.dependency_overrides.clear()

    assert response.status_code == 200
    assert response.json()["email"] == "stub@example.com"


async def test_without_a_token_it_is_a_401_with_a_bearer_challenge(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"{USERS}/me")

    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in str(body["detail"])


async def test_an_admin_lists_users_page_by_page(
    admin_client: httpx.AsyncClient, user_client: httpx.AsyncClient
) -> None:
    response = await admin_client.get(USERS, params={"limit": 1, "offset": 1})
    everyone = (await admin_client.get(USERS)).json()

    assert response.status_code == 200
    assert response.json()["meta"] == {"total": 2, "limit": 1, "offset": 1, "next": None}
    assert response.json()["data"] == everyone["data"][1:]
    assert {user["email"] for user in everyone["data"]} == {"admin@example.com", "user@example.com"}


@pytest.mark.parametrize(("method", "path"), [("GET", ""), ("PATCH", "/{id}")])
async def test_a_user_may_not_administer_users(
    user_client: httpx.AsyncClient, method: str, path: str
) -> None:
    own_id = (await me(user_client))["id"]

    response = await user_client.request(
        method, USERS + path.format(id=own_id), json={"role": "admin"}
    )

    body = assert_problem(response, 403)
    assert "permission" in str(body["detail"])
    assert (await me(user_client))["role"] == "user"


async def test_a_role_change_takes_effect_on_the_next_request(
    admin_client: httpx.AsyncClient, user_client: httpx.AsyncClient
) -> None:
    user_id = (await me(user_client))["id"]

    promoted = await admin_client.patch(f"{USERS}/{user_id}", json={"role": "admin"})

    assert promoted.status_code == 200
    assert promoted.json()["role"] == "admin"
    assert (await user_client.get(USERS)).status_code == 200  # same token, new role
    assert (await me(user_client))["role"] == "admin"  # the cached profile was forgotten
    await admin_client.patch(f"{USERS}/{user_id}", json={"role": "user"})
    assert_problem(await user_client.get(USERS), 403)
    assert (await me(user_client))["role"] == "user"


async def test_create_admin_shows_in_the_profile_at_once(
    app: FastAPI, user_client: httpx.AsyncClient
) -> None:
    assert (await me(user_client))["role"] == "user"  # cached now, in server mode

    await make_admin(app, "user@example.com")  # what the `create-admin` command runs

    assert (await me(user_client))["role"] == "admin"


async def test_a_deactivated_user_is_shut_out_at_once(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    user = await register(client, "ann@example.com")
    tokens = await sign_in(client, "ann@example.com")

    response = await admin_client.patch(f"{USERS}/{user['id']}", json={"is_active": False})

    assert response.json()["is_active"] is False
    assert_problem(await client.get(f"{USERS}/me", headers=bearer(tokens["access_token"])), 401)
    refreshed = await client.post(
        f"{AUTH}/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert_problem(refreshed, 401)
    signed_in = await client.post(
        f"{AUTH}/token", data={"username": "ann@example.com", "password": PASSWORD}
    )
    assert_problem(signed_in, 401)


async def test_reactivation_lets_the_user_sign_in_again_but_not_resume(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    user = await register(client, "ann@example.com")
    old = await sign_in(client, "ann@example.com")
    await admin_client.patch(f"{USERS}/{user['id']}", json={"is_active": False})

    await admin_client.patch(f"{USERS}/{user['id']}", json={"is_active": True})

    assert_problem(await client.get(f"{USERS}/me", headers=bearer(old["access_token"])), 401)
    fresh = await sign_in(client, "ann@example.com")
    assert (await client.get(f"{USERS}/me", headers=bearer(fresh["access_token"]))).is_success


async def test_an_admin_cannot_demote_themselves(admin_client: httpx.AsyncClient) -> None:
    own_id = (await me(admin_client))["id"]

    response = await admin_client.patch(f"{USERS}/{own_id}", json={"role": "user"})

    assert str(assert_problem(response, 409)["type"]).endswith("own-access-change")


async def test_patching_an_unknown_user_is_a_404(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.patch(f"{USERS}/{uuid4()}", json={"is_active": False})

    assert str(assert_problem(response, 404)["type"]).endswith("user-not-found")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"role": "superuser"},
        {"role": None},
        {"is_active": None},
        # Not a JSON boolean, though Python would read it as one (found by fuzzing the served
        # service: `0` deactivated the user).
        {"is_active": 0},
        {"is_active": "false"},
        {"email": "new@example.com"},
        {"password_hash": "$argon2id$..."},
    ],
)
async def test_an_invalid_patch_is_a_422(
    admin_client: httpx.AsyncClient, user_client: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    user_id = (await me(user_client))["id"]

    assert_problem(await admin_client.patch(f"{USERS}/{user_id}", json=payload), 422)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("user_id", ["not-a-uuid", "%00", "1" * 40])
async def test_a_malformed_user_id_names_no_user(
    admin_client: httpx.AsyncClient, method: str, user_id: str
) -> None:
    # `/{user_id:uuid}`: so that `/users/me` is never taken for a malformed id.
    response = await admin_client.request(method, f"{USERS}/{user_id}", json={"is_active": False})

    assert_problem(response, 404)


async def test_the_document_states_what_a_patch_refuses(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["UserUpdate"]

    assert schema["minProperties"] == 1  # `{}` changes nothing: a 422
    assert schema["properties"]["is_active"]["type"] == "boolean"  # null is a 422
    assert schema["properties"]["role"] == {"$ref": "#/components/schemas/Role"}


async def test_the_openapi_document_marks_what_needs_a_token(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"]

    # Every route's `Authorize` is one scheme, with the token endpoint's two grants: the docs
    # page signs in a user (password) or a service client (client credentials).
    assert list(schema["components"]["securitySchemes"]) == ["OAuth2PasswordBearer"]
    scheme = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert {flow: scheme["flows"][flow]["tokenUrl"] for flow in scheme["flows"]} == {
        "password": "/api/v1/auth/token",
        "clientCredentials": "/api/v1/auth/token",
    }
    assert paths[USERS]["get"]["security"] == [{"OAuth2PasswordBearer": []}]
    assert paths[f"{USERS}/me"]["get"]["security"] == [{"OAuth2PasswordBearer": []}]
    assert paths[USERS + "/{user_id}"]["patch"]["security"] == [{"OAuth2PasswordBearer": []}]
    for public in (f"{AUTH}/register", f"{AUTH}/token", f"{AUTH}/refresh", f"{AUTH}/logout"):
        assert "security" not in paths[public]["post"]
    assert "security" not in paths["/health/live"]["get"]
