"""Signed-in clients: most endpoints need a token, and tests should not repeat the dance."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from .auth import signed_in_client


@pytest.fixture
async def user_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_client(app, "user@example.com") as client:
        yield client


@pytest.fixture
async def other_user_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_client(app, "other@example.com") as client:
        yield client


@pytest.fixture
async def admin_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_client(app, "admin@example.com", admin=True) as client:
        yield client
