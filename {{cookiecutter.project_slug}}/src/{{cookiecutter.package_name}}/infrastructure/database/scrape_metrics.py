"""The database's metrics at scrape time: this process's pool, and the outbox's backlog.

The backlog is one indexed query (`ix_outbox_messages_sent_at_created_at`: the unsent rows are
one range of it, oldest first), asked when Prometheus scrapes and at no other time. The outbox
is shared by every process, so its figures are not kept in any process's files: the scraped
process reads them and reports them alone.
"""

import asyncio
from datetime import datetime

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...domain.clock import utc_now
from ...shared.logging import get_logger
from .engine import read_only
from .pool_metrics import sample_pool
from .tables import OutboxMessageRow

logger = get_logger(__name__)
# Well inside Prometheus's default scrape timeout (10 s): a database that does not answer costs
# the scrape this much, and the rest of the exposition still goes out.
BACKLOG_TIMEOUT_SECONDS = 1.0


class DatabaseMetrics:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def collect(self) -> list[Metric]:
        sample_pool(self._engine)
        try:
            async with asyncio.timeout(BACKLOG_TIMEOUT_SECONDS):
                pending, oldest = await self._outbox_backlog()
        except Exception as error:  # whatever failed, the scrape answers without the backlog
            # Left out rather than reported as 0: "no backlog" would be a lie, and an absent
            # series is what `absent()` alerts and the database's `health_check_up` are for.
            logger.warning("outbox backlog unavailable for metrics", error=type(error).__name__)
            return []
        age = 0.0 if oldest is None else max(0.0, (utc_now() - oldest).total_seconds())
        return [
            GaugeMetricFamily(
                "outbox_pending_messages", "Outbox messages not yet handed to the broker.", pending
            ),
            GaugeMetricFamily(
                "outbox_oldest_pending_age_seconds",
                "Age of the oldest outbox message not yet handed to the broker (0 when none).",
                age,
            ),
        ]

    async def _outbox_backlog(self) -> tuple[int, datetime | None]:
        query = select(func.count(), func.min(OutboxMessageRow.created_at)).where(
            OutboxMessageRow.sent_at.is_(None)
        )
        async with read_only(self._engine).connect() as connection:
            pending, oldest = (await connection.execute(query)).one()
        return int(pending), oldest
