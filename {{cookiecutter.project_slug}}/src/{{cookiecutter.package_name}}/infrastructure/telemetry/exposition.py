"""The metrics page: every metric of this command's processes, in the format the scraper asks for.

In one process the values are this process's registry. Under several (metrics_directory.py)
they are the files every process writes, summed by prometheus-client's multiprocess collector;
gauges of processes that have died are dropped first, so their last values do not linger.
Some figures are read only when asked (`ScrapeTimeMetrics`: the outbox backlog), and appear once,
from the scraped process.
"""

import asyncio
import contextlib
import os
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from .metrics_directory import multiprocess_directory

ScrapeTimeMetrics = Callable[[], Awaitable[Sequence[Metric]]]
# The files prometheus-client writes for gauges kept only while their process lives.
LIVE_GAUGE_FILE = re.compile(r"gauge_live\w+?_(?P<pid>\d+)\.db")


class MetricsExposition:
    def __init__(self, *scrape_time: ScrapeTimeMetrics) -> None:
        self._scrape_time = scrape_time
        self._directory = multiprocess_directory()
        self._registry: Collector = REGISTRY
        if self._directory is not None:
            self._registry = CollectorRegistry()
            MultiProcessCollector(self._registry, self._directory)

    @property
    def is_multiprocess(self) -> bool:
        return self._directory is not None

    async def render(self, accept: str) -> tuple[bytes, str]:
        """The page and its content type: OpenMetrics if `accept` asks for it, else Prometheus
        text."""
        families = [family for source in self._scrape_time for family in await source()]
        encode, content_type = choose_encoder(accept)
        # Reading every process's files is file I/O: off the event loop, like any other.
        return await asyncio.to_thread(encode, self.collector(families)), content_type

    def collector(self, read_now: Sequence[Metric] = ()) -> Collector:
        """Everything stored, plus `read_now`: what one scrape exposes."""
        return _Page(self._registry, read_now, self._directory)


class _Page(Collector):
    """One scrape's metrics: the stored ones and those read for this scrape."""

    def __init__(
        self, stored: Collector, read_now: Sequence[Metric], directory: str | None
    ) -> None:
        self._stored, self._read_now, self._directory = stored, read_now, directory

    def collect(self) -> Iterable[Metric]:
        if self._directory is not None:
            forget_dead_processes(Path(self._directory))
        yield from self._stored.collect()
        yield from self._read_now


def forget_dead_processes(directory: Path) -> None:
    """Drop the live-only gauges of processes that are gone, killed ones included (a process
    that exits cleanly does it itself). Counters and histograms stay: their totals must never
    go down, or `rate()` would read a reset."""
    for path in directory.glob("gauge_live*.db"):
        match = LIVE_GAUGE_FILE.fullmatch(path.name)
        if match and not _is_alive(int(match["pid"])):
            # Another scrape may be removing the same files: whoever is first, they go.
            with contextlib.suppress(FileNotFoundError):
                mark_process_dead(int(match["pid"]), str(directory))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: no signal, only the question whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, under another user
        return True
    return True


def mark_this_process_dead() -> None:
    """A process of a multiprocess command is exiting: its live-only gauges go with it."""
    directory = multiprocess_directory()
    if directory is not None:
        mark_process_dead(os.getpid(), directory)
