"""Fixtures shared by every test: throwaway databases on each backend, settings and the app.

Tests that need a server (PostgreSQL here) fail when it is missing: they never skip.
Each run creates its own database and drops it afterwards, so runs never collide.
"""

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.migrations import upgrade_to_head
from {{ cookiecutter.package_name }}.infrastructure.database.tables import Base
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Environment, Settings

TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [{% if cookiecutter.database == "postgresql" %}"sqlite", "postgresql"{% else %}"sqlite"{% endif %}]


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for tests: nothing read from `.env`, so a developer's file cannot leak in."""
    values: dict[str, object] = {
        "_env_file": None,
        "environment": Environment.TEST,
        "database_url": database_url,
        "secret_key": secrets.token_urlsafe(48),
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


async def _create_postgres_database() -> str:
    name = f"test_{{ cookiecutter.package_name }}_{secrets.token_hex(4)}"
    admin = create_async_engine(TEST_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(TEST_POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(url: str) -> None:
    admin = create_async_engine(TEST_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
    await admin.dispose()


async def _migrate(url: str) -> None:
    engine = create_engine(make_settings(url))
    await upgrade_to_head(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
async def sqlite_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    await _migrate(url)
    return url
{%- if cookiecutter.database == "postgresql" %}


@pytest.fixture(scope="session")
async def postgresql_database_url() -> AsyncIterator[str]:
    url = await _create_postgres_database()
    await _migrate(url)
    yield url
    await _drop_postgres_database(url)
{%- endif %}


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A freshly migrated database, once per backend for the whole run."""
    url: str = request.getfixturevalue(f"{request.param}_database_url")
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database; every table is emptied after the test."""
    engine = create_engine(settings)
    yield engine
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))
    await engine.dispose()


@pytest.fixture
async def app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: a 500 is answered like a real server answers it, as a problem.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def project_root() -> Iterator[Path]:
    """The project directory (where `alembic.ini` lives), as the working directory."""
    root = Path(__file__).resolve().parents[1]
    previous = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(previous)
