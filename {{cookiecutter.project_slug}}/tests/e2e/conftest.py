"""Signed-in clients: most endpoints need a token, and tests should not repeat the dance."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

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


@pytest.fixture(autouse=True)
def _empty_tables_afterwards(engine: AsyncEngine) -> None:
    """Every end-to-end test leaves the tables and keys empty, even one that only starts apps of
    its own (`app_with`): a user it registered must not make another test's registration a 409."""
