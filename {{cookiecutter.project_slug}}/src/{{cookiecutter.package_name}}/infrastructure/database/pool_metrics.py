"""The connection pool's metrics: its size and use, sampled; its waits, counted as they happen.

Size, use and overflow are read from the pool when sampled (at a scrape, on a timer, after a
task), so a request pays nothing for them. Waits cannot be sampled: they are counted where the
pool decides to wait, which costs a checkout two comparisons.
"""

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry, QueuePool

from ..telemetry.metrics import (
    DB_POOL_CONNECTIONS_IN_USE,
    DB_POOL_CONNECTIONS_OVERFLOW,
    DB_POOL_SIZE,
    DB_POOL_WAITS,
)


class WaitCountingPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio pool, counting `db_pool_waits_total`.

    SQLAlchemy has no event for a wait, so this overrides `_do_get`, the hook its pools
    implement (a private name: tests/integration/test_pool_metrics.py fails if it changes). It
    counts a checkout that finds no idle connection while the pool and its overflow are full:
    exactly the checkouts that block until a connection comes back (or time out).
    """

    # Its log lines stay under SQLAlchemy's logger, quiet unless asked (`echo_pool`).
    _sqla_logger_namespace = "sqlalchemy.pool.impl.AsyncAdaptedQueuePool"

    def _do_get(self) -> ConnectionPoolEntry:
        if self.checkedin() == 0 and self._is_full():
            DB_POOL_WAITS.inc()
        return super()._do_get()

    def _is_full(self) -> bool:
        limit = self._max_overflow  # -1: unbounded, never full
        return limit > -1 and self.overflow() >= limit


def sample_pool(engine: AsyncEngine) -> None:
    """Copy the engine's pool figures into the gauges (pools other than a queue have none)."""
    pool = engine.sync_engine.pool
    if not isinstance(pool, QueuePool):
        return
    DB_POOL_SIZE.set(pool.size())
    DB_POOL_CONNECTIONS_IN_USE.set(pool.checkedout())
    DB_POOL_CONNECTIONS_OVERFLOW.set(max(0, pool.overflow()))


async def sample_pool_periodically(engine: AsyncEngine, seconds: float = 2.0) -> None:
    """Under several processes a scrape reads the other processes' last samples: this keeps
    them at most `seconds` old, for a few microseconds of work each time."""
    while True:
        sample_pool(engine)
        await asyncio.sleep(seconds)
