"""The outbox relay inside the worker: a thread with an event loop and an engine of its own.

Celery's worker is not an asyncio program, so the relay, which is, gets a loop in a thread of
the worker's main process, started once the worker is ready and stopped, between batches,
when the worker stops.
"""

import asyncio
import threading

from celery import Celery

from ...shared.settings import Settings
from ..database.engine import create_engine, create_session_factory
from .relay import STOP_GRACE_SECONDS, OutboxRelay, stop_relay


class RelayThread:
    def __init__(self, settings: Settings, celery: Celery) -> None:
        self._settings = settings
        self._celery = celery
        # Made here, so that a stop that comes before the thread runs is not lost: the loop
        # runs the call as soon as it starts.
        self._loop = asyncio.new_event_loop()
        self._stopping = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_seconds: float = STOP_GRACE_SECONDS + 1) -> None:
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout_seconds)

    def _run(self) -> None:
        self._loop.run_until_complete(self._relay())

    async def _relay(self) -> None:
        engine = create_engine(self._settings)
        relay = OutboxRelay(
            create_session_factory(engine),
            self._celery,
            poll_seconds=self._settings.outbox_poll_seconds,
            batch_size=self._settings.outbox_batch_size,
        )
        running = asyncio.create_task(relay.run(), name="outbox-relay")
        try:
            await self._stopping.wait()
            await stop_relay(relay, running)
        finally:
            await engine.dispose()
