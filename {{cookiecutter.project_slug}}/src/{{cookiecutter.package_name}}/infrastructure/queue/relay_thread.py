"""The outbox relay inside the worker: a thread with an event loop and an engine of its own.

Celery's worker is not an asyncio program, so the relay, which is, gets a loop in a thread of
the worker's main process, started once the worker is ready and cancelled when it stops.
"""

import asyncio
import threading

from celery import Celery

from ...shared.settings import Settings
from ..database.engine import create_engine, create_session_factory
from .relay import OutboxRelay


class RelayThread:
    def __init__(self, settings: Settings, celery: Celery) -> None:
        self._settings = settings
        self._celery = celery
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_seconds: float = 5.0) -> None:
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout_seconds)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._relay())

    async def _relay(self) -> None:
        engine = create_engine(self._settings)
        relay = OutboxRelay(
            create_session_factory(engine),
            self._celery,
            poll_seconds=self._settings.outbox_poll_seconds,
            batch_size=self._settings.outbox_batch_size,
        )
        self._task = asyncio.current_task()
        try:
            await relay.run()
        except asyncio.CancelledError:
            pass
        finally:
            await engine.dispose()
