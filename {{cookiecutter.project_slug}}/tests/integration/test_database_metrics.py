"""The database's metrics on the real database: the outbox backlog read at scrape time, the pool
gauges sampled from the pool, and `db_pool_waits_total` counting checkouts that had to wait."""

import asyncio
{%- if cookiecutter.database == "postgresql" %}
import socket
import time
{%- endif %}
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from prometheus_client.metrics_core import Metric
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from {{ cookiecutter.package_name }}.infrastructure.database.pool_metrics import WaitCountingPool
from {{ cookiecutter.package_name }}.infrastructure.database.scrape_metrics import DatabaseMetrics
from {{ cookiecutter.package_name }}.infrastructure.database.tables import OutboxMessageRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..metrics import current
{%- if cookiecutter.database == "postgresql" %}

SCRAPE_BOUND_SECONDS = 5.0  # a correctness bound (the scrape does not hang), not a benchmark
{%- endif %}


def values(families: list[Metric]) -> dict[str, float]:
    return {family.name: family.samples[0].value for family in families}


async def add_outbox_messages(engine: AsyncEngine, age: timedelta, *, sent: bool) -> None:
    now = datetime.now(UTC)
    row = {"topic": "test", "payload": {}, "headers": {}, "created_at": now - age}
    async with engine.begin() as connection:
        await connection.execute(
            insert(OutboxMessageRow).values(id=uuid4(), sent_at=now if sent else None, **row)
        )


async def test_the_backlog_counts_unsent_messages_and_ages_the_oldest(
    engine: AsyncEngine,
) -> None:
    for age in (timedelta(minutes=5), timedelta(minutes=1), timedelta(seconds=1)):
        await add_outbox_messages(engine, age, sent=False)
    await add_outbox_messages(engine, timedelta(hours=1), sent=True)  # sent: not pending

    backlog = values(await DatabaseMetrics(engine).collect())

    assert backlog["outbox_pending_messages"] == 3
    assert 5 * 60 <= backlog["outbox_oldest_pending_age_seconds"] < 6 * 60


async def test_an_empty_backlog_is_zero_messages_zero_seconds_old(engine: AsyncEngine) -> None:
    backlog = values(await DatabaseMetrics(engine).collect())

    assert backlog == {"outbox_pending_messages": 0, "outbox_oldest_pending_age_seconds": 0}


async def test_the_pool_gauges_follow_the_connections_in_use(engine: AsyncEngine) -> None:
    metrics = DatabaseMetrics(engine)
    async with engine.connect():
        await metrics.collect()
        in_use_while_held = current("db_pool_connections_in_use")
    await metrics.collect()

    assert in_use_while_held == 1  # sampled before the backlog query takes its own
    assert current("db_pool_connections_in_use") == 0
    assert current("db_pool_size") == engine.sync_engine.pool.size()  # type: ignore[attr-defined]


async def test_a_checkout_that_waits_for_a_connection_is_counted_once(
    settings: Settings,
) -> None:
    engine = create_async_engine(
        settings.database_url, poolclass=WaitCountingPool, pool_size=1, max_overflow=0
    )
    waits = current("db_pool_waits_total") or 0.0
    async with engine.connect():
        pass  # opened and returned: the next checkout finds it idle, without waiting
    assert current("db_pool_waits_total") == waits

    async with engine.connect():
        waiting = asyncio.create_task(engine.connect().start())
        await asyncio.sleep(0.1)
        assert not waiting.done()  # the pool's one connection is held: it waits
    second = await waiting
    await second.close()
    await engine.dispose()

    assert current("db_pool_waits_total") == waits + 1
{%- if cookiecutter.database == "postgresql" %}


async def test_a_database_that_does_not_answer_leaves_the_backlog_out_in_bounded_time(
    settings: Settings,
) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        engine = create_async_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none")
        started = time.monotonic()

        families = await DatabaseMetrics(engine).collect()

        assert time.monotonic() - started < SCRAPE_BOUND_SECONDS
        assert families == []
        await engine.dispose()
{%- endif %}
