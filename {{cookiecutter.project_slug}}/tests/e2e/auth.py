"""Signing in over HTTP, for the end-to-end tests: register, get tokens, build clients."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.api.ports import ApiDependencies
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.domain.users.service import UserService
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Settings

AUTH = "/api/v1/auth"
USERS = "/api/v1/users"
PASSWORD = "correct horse battery staple"


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


async def register(
    client: httpx.AsyncClient,
    email: str,
    password: str = PASSWORD,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"{AUTH}/register", json={"email": email, "password": password, **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> dict[str, Any]:
    response = await client.post(f"{AUTH}/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def make_admin(app: FastAPI, email: str, password: str = PASSWORD) -> None:
    """What `create-admin` does, through the app's own adapters."""
    dependencies: ApiDependencies = app.state.dependencies
    reads = dependencies.request_reads()
    users = UserService(
        dependencies.unit_of_work(),
        dependencies.password_hasher,
        reads.access_states,
        reads.profiles,
        PasswordPolicy(dependencies.password_strength),
    )
    await users.ensure_admin(email, password)


@asynccontextmanager
async def client_for(
    app: FastAPI, access_token: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    headers = bearer(access_token) if access_token else {}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=headers
    ) as client:
        yield client


async def access_token(app: FastAPI, email: str, *, admin: bool = False) -> str:
    """Register `email` (an admin if asked), sign in, and return the access token."""
    async with client_for(app) as anonymous:
        await register(anonymous, email)
        if admin:
            await make_admin(app, email)
        tokens = await sign_in(anonymous, email)
    token: str = tokens["access_token"]
    return token


@asynccontextmanager
async def signed_in_client(
    app: FastAPI, email: str, *, admin: bool = False
) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends the access token of `email` (registered here) with every request."""
    async with client_for(app, await access_token(app, email, admin=admin)) as client:
        yield client


@asynccontextmanager
async def app_with(settings: Settings, **changes: Any) -> AsyncIterator[FastAPI]:
    """A second app on the same database, with some settings changed."""
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        yield app
