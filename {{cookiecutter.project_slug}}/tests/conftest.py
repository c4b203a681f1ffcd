"""Fixtures shared by every test: both run modes, throwaway databases, settings and the app.

Every database-backed test runs twice: in embedded mode (SQLite, no Redis) and in server mode
({% if cookiecutter.database == "postgresql" %}PostgreSQL{% else %}SQLite{% endif %} and Redis). Tests that need a server fail when it is missing: they never
skip. Each run creates its own database and Redis key prefix, so runs never collide.
"""

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.util._once import Once
from redis.asyncio import Redis
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.migrations import upgrade_to_head
from {{ cookiecutter.package_name }}.infrastructure.database.tables import Base
from {{ cookiecutter.package_name }}.infrastructure.telemetry import tracing
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.shared.settings import Environment, Settings

from .redis_server import RedisServer
from .worker_process import delete_queues

TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
{%- if cookiecutter.broker == "redis" %}
TEST_BROKER_URL = TEST_REDIS_URL
{%- else %}
TEST_BROKER_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
{%- endif %}
RUN_MODES = ["embedded", "server"]
# The serve and worker processes' metrics files, apart from any other run's on this machine: by
# default the directory is named after the package only, and two runs would empty each other's.
RUN_METRICS_DIRECTORY = Path(tempfile.mkdtemp(prefix="{{ cookiecutter.package_name }}-metrics-"))
atexit.register(shutil.rmtree, RUN_METRICS_DIRECTORY, ignore_errors=True)
SERVER_MODE_DATABASE = "{{ cookiecutter.database }}"


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for tests: nothing read from `.env`, so a developer's file cannot leak in."""
    values: dict[str, object] = {
        "_env_file": None,
        "environment": Environment.TEST,
        "database_url": database_url,
        "secret_key": secrets.token_urlsafe(48),
        # The cheapest argon2: tests check what hashing does, not what it costs.
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 64,
        "password_hash_parallelism": 1,
        # No worker metrics page unless a test asks: runs side by side would fight for its port.
        "worker_metrics_port": 0,
        "metrics_directory": RUN_METRICS_DIRECTORY,
        # Out of the way of tests that send many requests; the rate-limit tests set their own.
        "rate_limit_per_minute": 10_000,
        # A machine running several suites at once can take seconds over a sign-up: the deadline
        # would turn that into a 504. The deadline's own tests set theirs (test_request_bounds).
        "request_timeout_seconds": 30,
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


@pytest.fixture
{%- if cookiecutter.database == "postgresql" %}
async def blank_database_url(run_mode: str, tmp_path: Path) -> AsyncIterator[str]:
    """A database of this test's own with no table in it, for tests that migrate it themselves."""
    if run_mode == "embedded":
        yield f"sqlite+aiosqlite:///{tmp_path / 'blank.sqlite3'}"
        return
    url = await _create_postgres_database()
    yield url
    await _drop_postgres_database(url)
{%- else %}
def blank_database_url(tmp_path: Path) -> str:
    """A database of this test's own with no table in it, for tests that migrate it themselves."""
    return f"sqlite+aiosqlite:///{tmp_path / 'blank.sqlite3'}"
{%- endif %}


@pytest.fixture(scope="session")
async def redis_url() -> str:
    """The test Redis; a missing server is an error here, not a skip."""
    client = Redis.from_url(TEST_REDIS_URL)
    await client.ping()
    await client.aclose()
    return TEST_REDIS_URL


@pytest.fixture(scope="session")
async def redis_key_prefix() -> AsyncIterator[str]:
    prefix = f"test-{{ cookiecutter.project_slug }}-{secrets.token_hex(4)}"
    yield prefix
    client = Redis.from_url(TEST_REDIS_URL)
    keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(scope="session")
def celery_queue() -> Iterator[str]:
    """A queue of this run's own: runs never take each other's messages. Deleted afterwards."""
    name = f"test-{{ cookiecutter.package_name }}-{secrets.token_hex(4)}"
    yield name
    delete_queues(make_settings("sqlite://", celery_broker_url=TEST_BROKER_URL, celery_queue=name))


@pytest.fixture(scope="session")
def embedded_broker_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqla+sqlite:///{tmp_path_factory.mktemp('broker') / 'broker.sqlite3'}"


@pytest.fixture(scope="session", params=RUN_MODES)
def run_mode(request: pytest.FixtureRequest) -> str:
    mode: str = request.param
    return mode


@pytest.fixture(scope="session")
def database_url(run_mode: str, request: pytest.FixtureRequest) -> str:
    """A freshly migrated database for the run mode, created once for the whole run."""
    backend = SERVER_MODE_DATABASE if run_mode == "server" else "sqlite"
    url: str = request.getfixturevalue(f"{backend}_database_url")
    return url


def run_mode_settings(run_mode: str, database_url: str, request: pytest.FixtureRequest) -> Settings:
    """Settings for the run mode: its database, and Redis in server mode."""
    server = run_mode == "server"
    broker = TEST_BROKER_URL if server else request.getfixturevalue("embedded_broker_url")
    return make_settings(
        database_url,
        redis_url=request.getfixturevalue("redis_url") if server else None,
        redis_key_prefix=request.getfixturevalue("redis_key_prefix"),
        celery_broker_url=broker,
        celery_queue=request.getfixturevalue("celery_queue"),
    )


async def empty_tables_and_keys(engine: AsyncEngine, settings: Settings) -> None:
    """What every test leaves behind: empty tables, and none of the run's Redis keys."""
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))
    if settings.redis_url:
        client = Redis.from_url(settings.redis_url)
        keys = [key async for key in client.scan_iter(match=f"{settings.redis_key_prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
def settings(run_mode: str, database_url: str, request: pytest.FixtureRequest) -> Settings:
    return run_mode_settings(run_mode, database_url, request)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database; every table and Redis key is emptied after the test."""
    engine = create_engine(settings)
    yield engine
    await empty_tables_and_keys(engine, settings)
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
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, to stop, hang and restart (the cache fault tests)."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def project_root() -> Iterator[Path]:
    """The project directory (where `alembic.ini` lives), as the working directory."""
    root = Path(__file__).resolve().parents[1]
    previous = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(previous)


@pytest.fixture
def fresh_tracing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process in which tracing is not set up yet, and no `OTEL_*` variable is set; the state
    before the test comes back afterwards. (A process sets its tracer provider once, and the
    app tests' `create_app` has done so.)"""
    for name in list(os.environ):
        if name.startswith("OTEL_"):
            monkeypatch.delenv(name)
    # What OpenTelemetry's own tests reset (opentelemetry-test-utils, `reset_trace_globals`).
    monkeypatch.setattr(trace, "_TRACER_PROVIDER_SET_ONCE", Once())
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)
    monkeypatch.setattr(tracing, "_provider", None)
    yield
    tracing.shutdown_tracing()  # the test's provider, if it made one: its exporter stops
