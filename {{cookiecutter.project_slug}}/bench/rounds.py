"""A run's rounds: every scenario in turn, round after round, so that the drift of a shared
machine spreads over all of them; every other round runs them backwards, so that each of two
neighbours goes first as often as the other. bench/ratios.py turns the rounds into numbers."""

import os
import platform
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from bench.otlp_sink import OtlpSink
from bench.report import Results, SpansExported
from bench.scenarios import CONNECTIONS, Scenario
from bench.servers import SERVER_CORE, Server, serve
from bench.service import PORT, SERVICE
from bench.wrk import LOAD_CORE, Measurement, load

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP_SECONDS = 2
KEPT_PORT = PORT + 1  # the long-lived process's, beside the fresh ones'


def measure(
    plan: list[Scenario], env: dict[str, str], token: str, sink: OtlpSink | None = None
) -> Results:
    """Every scenario of `plan` (BENCH_ONLY's letters, if set) in each round; `sink`, when the
    service exports its spans to it, counts what each traced scenario sent."""
    only = {letter.strip() for letter in os.environ.get("BENCH_ONLY", "").split(",") if letter}
    plan = [scenario for scenario in plan if not only or scenario.letter in only]
    found: dict[str, list[Measurement]] = {scenario.label: [] for scenario in plan}
    rss_mb: dict[str, list[float]] = {s.label: [] for s in plan if s.app == SERVICE}
    exported: dict[str, list[SpansExported]] = {
        s.label: [] for s in plan if sink is not None and s.is_traced
    }
    with ExitStack() as whole_run:
        servers = Servers(env, whole_run)
        for number in range(1, ROUNDS + 1):
            for scenario in plan if number % 2 else plan[::-1]:
                spans_before = sink.spans_received() if sink is not None else 0
                with servers.serving(scenario) as (server, port):
                    warm_up = load(scenario, token, WARM_UP_SECONDS, port)
                    result = load(scenario, token, DURATION, port)
                    if scenario.label in rss_mb:
                        rss_mb[scenario.label].append(server.rss_mb())
                # Read once a fresh server has stopped: its last batch is sent on the way out.
                if sink is not None and scenario.label in exported:
                    spans = sink.spans_received() - spans_before
                    requests = warm_up.requests + result.requests
                    exported[scenario.label].append(SpansExported(spans, requests))
                found[scenario.label].append(result)
                print(
                    f"round {number}/{ROUNDS} {scenario.label} {scenario.title}: "
                    f"{result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms",
                    flush=True,
                )
    return Results(
        heading(plan),
        [(s.label, s.title, found[s.label]) for s in plan],
        rss_mb,
        [scenario.label for scenario in plan if scenario.is_default_service],
        servers.startup_seconds,
        exported,
    )


class Servers:
    """A fresh server for each scenario and round, with its warm-up, except for the service as
    deployed (Scenario.is_default_service): one process, started once and kept for the run."""

    def __init__(self, env: dict[str, str], whole_run: ExitStack) -> None:
        self._env, self._whole_run = env, whole_run
        self._kept: Server | None = None
        self.startup_seconds: dict[str, list[float]] = {}  # server: each start of the service

    @contextmanager
    def serving(self, scenario: Scenario) -> Iterator[tuple[Server, int]]:
        if scenario.is_default_service:
            if self._kept is None:
                kept = self._whole_run.enter_context(serve(SERVICE, self._env, port=KEPT_PORT))
                self._kept = self._timed(scenario, kept)
            yield self._kept, KEPT_PORT
            return
        env = {**self._env, **scenario.env}
        with self._kept_paused(), serve(scenario.app, env, scenario.server) as server:
            yield self._timed(scenario, server), PORT

    @contextmanager
    def _kept_paused(self) -> Iterator[None]:
        """The kept process shares the server core: paused, its background work (the outbox
        relay publishing J's jobs, say) cannot run into another scenario's measurement."""
        if self._kept is None:
            yield
            return
        os.kill(self._kept.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self._kept.pid, signal.SIGCONT)

    def _timed(self, scenario: Scenario, server: Server) -> Server:
        if scenario.app == SERVICE:
            self.startup_seconds.setdefault(scenario.server, []).append(server.startup_seconds)
        return server


def heading(plan: list[Scenario]) -> str:
    fewer = ", ".join(f"{s.label}: -c{s.connections}" for s in plan if s.connections != CONNECTIONS)
    kept = ", ".join(s.label for s in plan if s.is_default_service)
    servers = (
        f"{kept} share one service process for the whole run; every other scenario starts a "
        "fresh server each round"
        if kept
        else "every scenario starts a fresh server each round"
    )
    on_granian = any(scenario.server == "granian" for scenario in plan)
    granian = "; granian rows: `granian --workers 1`" if on_granian else ""
    return (
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}): one server process on "
        f"core {SERVER_CORE} (the service's own `serve`: uvicorn, one worker{granian}), "
        f"`wrk -t1 -c{CONNECTIONS} -d{DURATION}s` on core {LOAD_CORE}"
        f"{f' ({fewer})' if fewer else ''}, {ROUNDS} interleaved rounds (every other one "
        "backwards): req/s and latencies from each scenario's median round, every ratio the "
        f"median of the ratios measured round by round; {servers}."
    )
