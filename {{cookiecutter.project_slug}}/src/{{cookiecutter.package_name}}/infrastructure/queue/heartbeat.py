"""Worker liveness without broker broadcast: the worker touches a file while it is healthy, and
`worker-alive` (the probe of the worker's container) checks the file is fresh.

Broadcast pings (`celery inspect ping`) need the broker, and the embedded transport has no
fanout at all; a file works everywhere. The file is touched from the worker's own timer, so a
worker whose main loop hangs stops touching it and its probe fails.
"""

import time
from pathlib import Path
from typing import Any

from celery import bootsteps


def touch(path: str) -> None:
    Path(path).touch()


def is_fresh(path: str, max_age_seconds: float) -> bool:
    try:
        modified = Path(path).stat().st_mtime
    except FileNotFoundError:
        return False
    return time.time() - modified <= max_age_seconds


def heartbeat_step(path: str, interval_seconds: float) -> type[bootsteps.StartStopStep]:
    """A worker bootstep that touches `path` every `interval_seconds` on the worker's timer."""

    class Heartbeat(bootsteps.StartStopStep):
        requires = ("celery.worker.components:Timer",)

        def __init__(self, worker: Any, **kwargs: Any) -> None:
            super().__init__(worker, **kwargs)
            self.timer_entry: Any = None

        def start(self, worker: Any) -> None:
            touch(path)
            self.timer_entry = worker.timer.call_repeatedly(interval_seconds, touch, (path,))

        def stop(self, worker: Any) -> None:
            if self.timer_entry is not None:
                self.timer_entry.cancel()
            Path(path).unlink(missing_ok=True)

    return Heartbeat
