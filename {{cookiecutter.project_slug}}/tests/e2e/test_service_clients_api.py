"""Service clients over HTTP: an admin makes one, it signs in with the client-credentials grant,
calls what its permissions allow, and stops working when its secret is rotated or it is revoked."""

import base64
from typing import Any

import httpx
import pytest

from .auth import AUTH, USERS, bearer
from .problems import assert_problem

CLIENTS = "/api/v1/service-clients"
TOKEN = f"{AUTH}/token"


async def create_client(
    admin_client: httpx.AsyncClient, permissions: list[str], name: str = "billing"
) -> dict[str, Any]:
    response = await admin_client.post(CLIENTS, json={"name": name, "permissions": permissions})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created: dict[str, Any] = response.json()
    return created


async def client_token(client: httpx.AsyncClient, client_id: str, secret: str) -> httpx.Response:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return await client.post(TOKEN, data=form)


def basic(client_id: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


async def test_a_service_client_s_life_from_creation_to_revocation(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create_client(admin_client, ["users:read"])
    assert set(created) == {"id", "name", "permissions", "created_at", "client_secret"}
    client_id, secret = created["id"], created["client_secret"]

    granted = await client_token(client, client_id, secret)
    assert granted.status_code == 200, granted.text
    assert set(granted.json()) == {"access_token", "token_type", "expires_in"}  # no refresh
    assert granted.headers["cache-control"] == "no-store"
    token = granted.json()["access_token"]
    assert (await client.get(USERS, headers=bearer(token))).status_code == 200
    forbidden = await client.get("/api/v1/audit-events", headers=bearer(token))
    assert_problem(forbidden, 403)

    rotated = await admin_client.post(f"{CLIENTS}/{client_id}/rotate")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["client_secret"]
    assert_problem(await client_token(client, client_id, secret), 401)
    assert_problem(await client.get(USERS, headers=bearer(token)), 401)  # the old secret's
    token = (await client_token(client, client_id, new_secret)).json()["access_token"]
    assert (await client.get(USERS, headers=bearer(token))).status_code == 200

    listed = (await admin_client.get(CLIENTS)).json()
    assert [row["id"] for row in listed["data"]] == [client_id]
    assert "client_secret" not in listed["data"][0]
    assert listed["meta"]["total"] == 1

    assert (await admin_client.delete(f"{CLIENTS}/{client_id}")).status_code == 204
    assert_problem(await client.get(USERS, headers=bearer(token)), 401)
    assert_problem(await client_token(client, client_id, new_secret), 401)
    assert (await admin_client.get(CLIENTS)).json()["data"] == []
    assert_problem(await admin_client.delete(f"{CLIENTS}/{client_id}"), 404)


async def test_http_basic_works_as_the_form_does(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create_client(admin_client, ["users:read"])

    response = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers=basic(created["id"], created["client_secret"]),
    )

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("wrong", ["secret", "unknown id", "not an id", "basic secret"])
async def test_every_wrong_credential_gets_the_same_invalid_client_problem(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient, wrong: str
) -> None:
    created = await create_client(admin_client, ["users:read"])
    client_id, secret = created["id"], created["client_secret"]
    if wrong == "basic secret":
        response = await client.post(
            TOKEN, data={"grant_type": "client_credentials"}, headers=basic(client_id, "nope")
        )
    else:
        if wrong == "secret":
            secret = "nope"
        client_id = {"unknown id": "5f0c1a43-0e3b-4bb8-9c4f-1f0a2b3c4d5e", "not an id": "x"}.get(
            wrong, client_id
        )
        response = await client_token(client, client_id, secret)

    body = assert_problem(response, 401)
    assert body["error"] == "invalid_client"
    assert str(body["detail"]).startswith("Client authentication failed")
    assert response.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic not-base64!",
        "Basic " + base64.b64encode(b"no colon").decode(),
        "Basic " + "QUFB" * 300,  # longer than any id and secret together
    ],
)
async def test_a_malformed_basic_header_is_an_invalid_client(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": authorization}
    )

    assert assert_problem(response, 401)["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "client_credentials", "client_id": "x"}, "invalid_request"),
        ({"grant_type": "client_credentials"}, "invalid_request"),
        ({"grant_type": "password", "username": "ann@example.com"}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
    ],
)
async def test_a_malformed_token_request_is_an_rfc_6749_error(
    client: httpx.AsyncClient, form: dict[str, str], error: str
) -> None:
    body = assert_problem(await client.post(TOKEN, data=form), 400)

    assert body["error"] == error


async def test_credentials_in_the_form_and_as_basic_at_once_are_refused(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create_client(admin_client, ["users:read"])
    form = {
        "grant_type": "client_credentials",
        "client_id": created["id"],
        "client_secret": created["client_secret"],
    }

    response = await client.post(TOKEN, data=form, headers=basic(created["id"], "x"))

    assert assert_problem(response, 400)["error"] == "invalid_request"


async def test_a_client_is_not_a_user(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create_client(admin_client, ["users:read"])
    granted = await client_token(client, created["id"], created["client_secret"])
    token = granted.json()["access_token"]

    body = assert_problem(await client.get(f"{USERS}/me", headers=bearer(token)), 403)

    assert str(body["type"]).endswith("/not-a-user")
    assert_problem(await client.get(f"{AUTH}/sessions", headers=bearer(token)), 403)


async def test_only_admins_manage_clients(
    user_client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create_client(admin_client, ["users:read"])
    body = {"name": "mine", "permissions": ["users:read"]}

    assert_problem(await user_client.post(CLIENTS, json=body), 403)
    assert_problem(await user_client.get(CLIENTS), 403)
    assert_problem(await user_client.post(f"{CLIENTS}/{created['id']}/rotate"), 403)
    assert_problem(await user_client.delete(f"{CLIENTS}/{created['id']}"), 403)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "permissions": ["service_clients:write"]},
        {"name": "x", "permissions": ["no:such"]},
        {"name": "x", "permissions": []},
        {"name": " ", "permissions": ["users:read"]},
        {"name": "x", "permissions": ["users:read"], "role": "admin"},
    ],
)
async def test_a_client_gets_only_what_a_client_may_hold(
    admin_client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    assert_problem(await admin_client.post(CLIENTS, json=body), 422)


async def test_an_unknown_client_cannot_be_rotated(admin_client: httpx.AsyncClient) -> None:
    missing = "5f0c1a43-0e3b-4bb8-9c4f-1f0a2b3c4d5e"

    assert_problem(await admin_client.post(f"{CLIENTS}/{missing}/rotate"), 404)
{%- if cookiecutter.include_example_domain == "y" %}


async def test_a_client_reads_any_item_when_granted_it(
    client: httpx.AsyncClient, admin_client: httpx.AsyncClient, user_client: httpx.AsyncClient
) -> None:
    item = (await user_client.post("/api/v1/items", json={"name": "Lamp", "price": "9.50"})).json()
    created = await create_client(admin_client, ["items:read", "items:read:any"])
    granted = await client_token(client, created["id"], created["client_secret"])
    token = granted.json()["access_token"]

    read = await client.get(f"/api/v1/items/{item['id']}", headers=bearer(token))
    listed = await client.get("/api/v1/items", headers=bearer(token))
    refused = await client.post(
        "/api/v1/items", json={"name": "Mine", "price": "1"}, headers=bearer(token)
    )

    assert read.status_code == 200
    assert [row["id"] for row in listed.json()["data"]] == [item["id"]]
    assert_problem(refused, 403)
{%- endif %}
