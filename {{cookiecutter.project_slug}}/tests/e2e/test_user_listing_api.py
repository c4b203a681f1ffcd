"""Listing `/api/v1/users` over HTTP (admins): filters by role and activity, sorting, cursors."""

from typing import Any, cast

import httpx

from .auth import USERS, register
from .problems import assert_problem


async def emails(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get(USERS, params=params)
    assert response.status_code == 200, response.text
    return [user["email"] for user in response.json()["data"]]


async def test_users_filter_by_role_and_activity(admin_client: httpx.AsyncClient) -> None:
    ann = await register(admin_client, "ann@example.com")
    await register(admin_client, "bob@example.com")
    await admin_client.patch(f"{USERS}/{ann['id']}", json={"is_active": False})

    # Only this test's users: in server mode another test's user may outlive its test.
    mine = {"admin@example.com", "ann@example.com", "bob@example.com"}

    async def matching(**params: str) -> list[str]:
        return [email for email in await emails(admin_client, **params) if email in mine]

    assert await matching(role="admin") == ["admin@example.com"]
    assert await matching(is_active="false") == ["ann@example.com"]
    assert await matching(role="user", is_active="true") == ["bob@example.com"]


async def test_users_sort_by_email_and_walk_by_cursor(admin_client: httpx.AsyncClient) -> None:
    for name in ["cy", "ann", "bob"]:
        await register(admin_client, f"{name}@example.com")

    seen: list[str] = []
    params: dict[str, Any] = {"sort": "-email", "limit": 3}
    while True:
        body = (await admin_client.get(USERS, params=params)).json()
        seen += [user["email"] for user in body["data"]]
        if body["meta"]["next"] is None:
            break
        params = {**params, "cursor": body["meta"]["next"]}

    mine = [f"{n}@example.com" for n in ["cy", "bob", "ann", "admin"]]
    assert [email for email in seen if email in mine] == mine
    assert len(seen) == len(set(seen))


async def test_users_refuse_an_unknown_sort_or_role(admin_client: httpx.AsyncClient) -> None:
    by_password = assert_problem(
        await admin_client.get(USERS, params={"sort": "password_hash"}), 422
    )
    by_role = assert_problem(await admin_client.get(USERS, params={"role": "owner"}), 422)

    [sort_error] = cast(list[dict[str, str]], by_password["errors"])
    assert "created_at, email" in sort_error["message"]
    assert [e["field"] for e in cast(list[dict[str, str]], by_role["errors"])] == ["query.role"]
