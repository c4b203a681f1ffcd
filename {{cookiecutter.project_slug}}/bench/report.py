"""The Markdown that `make bench` writes to bench/results.md: the table, SPEC 10's targets, the
memory and start-up of the service, the spans it exported, and the two ASGI servers side by
side. How rounds become these numbers: bench/ratios.py."""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from bench.ratios import Rounds, median_ratio, median_round, p99

Row: TypeAlias = tuple[str, str, Rounds]  # label, title, the scenario's measurement each round
# (numerator, denominator, least ratio of their req/s).
THROUGHPUT_TARGETS = [
    ("G", "H", 0.85),
    ("B", "G", 0.80),
    ("B10", "G", 0.90),
    ("C", "A", 0.12),
    ("D", "G", 0.80),
    ("F", "A", 0.85),
]
P99_TARGET = ("B", "H", 1.5)  # p99(B) <= 1.5 p99(H)
EXPORTING = "B"  # its spans must reach the sink, or B measured tracing without its export
RSS_AFTER_B_MB = 150.0
# Growth of the long-lived process from the first round to the last beyond this share of its
# size is more than the noise of the allocator and of sampling at a different moment.
RSS_GROWTH_TOLERANCE = 0.05
STARTUP_SECONDS = 2.0
GRANIAN = "granian"


@dataclass(frozen=True)
class SpansExported:
    spans: int  # received by the OTLP sink while the scenario ran, warm-up included
    requests: int  # served meanwhile


@dataclass(frozen=True)
class Results:
    heading: str
    rows: Sequence[Row]
    rss_mb: dict[str, list[float]] = field(default_factory=dict)  # label: after each round
    kept: Sequence[str] = ()  # the labels served by the one long-lived process, in order
    startup_seconds: dict[str, list[float]] = field(default_factory=dict)  # server: each start
    exported: dict[str, list[SpansExported]] = field(default_factory=dict)  # label: each round


def render(results: Results) -> str:
    lines = ["# Benchmark results (`make bench`)", "", results.heading, ""]
    lines += throughput_table(results.rows)
    lines += ["", "| target | measured | met |", "| --- | ---: | --- |", *target_rows(results)]
    lines += memory_section(results)
    lines += export_section(results.exported)
    lines += startup_section(results.startup_seconds)
    lines += server_section(results.rows)
    return "\n".join(lines) + "\n"


def throughput_table(rows: Sequence[Row]) -> list[str]:
    found = {label: rounds for label, _, rounds in rows}
    lines = [
        "| | scenario | req/s | p50 ms | p99 ms | errors | /A | /H |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, title, rounds in rows:
        measured = median_round(rounds)
        lines.append(
            f"| {label} | {title} | {measured.requests_per_second:.0f} "
            f"| {measured.p50_ms:.1f} | {measured.p99_ms:.1f} | {measured.errors} "
            f"| {_ratio(found, label, 'A')} | {_ratio(found, label, 'H')} |"
        )
    return lines


def target_rows(results: Results) -> list[str]:
    found = {label: rounds for label, _, rounds in results.rows}
    lines = []
    for numerator, denominator, least in THROUGHPUT_TARGETS:
        if numerator in found and denominator in found:
            ratio = median_ratio(found[numerator], found[denominator])
            lines.append(_at_least(f"{numerator} >= {least:.2f} {denominator}", ratio, least))
    slow, fast, most = P99_TARGET
    if slow in found and fast in found:
        ratio = median_ratio(found[slow], found[fast], of=p99)
        lines.append(_at_most(f"p99({slow}) <= {most:.1f} p99({fast})", ratio, most))
    if EXPORTING in results.exported:
        spans = sum(exported.spans for exported in results.exported[EXPORTING])
        lines.append(_row(f"spans received from {EXPORTING} > 0", str(spans), met=spans > 0))
    if results.rss_mb.get("B"):
        largest = max(results.rss_mb["B"])
        lines.append(_at_most(f"RSS after B <= {RSS_AFTER_B_MB:.0f} MB", largest, RSS_AFTER_B_MB))
    if results.kept and len(ends := results.rss_mb[results.kept[-1]]) > 1:
        growth = ends[-1] / ends[0] - 1
        name = f"RSS growth, round 1 to {len(ends)} <= {RSS_GROWTH_TOLERANCE:.0%}"
        lines.append(_row(name, f"{growth:+.1%}", met=growth <= RSS_GROWTH_TOLERANCE))
    if starts := results.startup_seconds.get("uvicorn"):
        median = statistics.median(starts)
        lines.append(_at_most(f"start-up <= {STARTUP_SECONDS:.0f} s", median, STARTUP_SECONDS))
    return lines


def memory_section(results: Results) -> list[str]:
    if not results.rss_mb:
        return []
    rounds = max(len(sizes) for sizes in results.rss_mb.values())
    processes = (
        f"{', '.join(results.kept)} run in one process kept for the whole run, so a leak shows "
        "as growth along their rows (the target compares the last of them, round 1 to the last "
        "round); the others start fresh every round."
        if results.kept
        else "Every row starts a fresh process every round."
    )
    lines = [
        "",
        "## Memory",
        "",
        "The resident memory (VmRSS) of the process serving the service, in MB, sampled after "
        f"each scenario in each round. {processes}",
        "",
        f"| after | process | {' | '.join(f'round {n}' for n in range(1, rounds + 1))} |",
        f"| --- | --- |{' ---: |' * rounds}",
    ]
    for label, sizes in results.rss_mb.items():
        process = "kept" if label in results.kept else "fresh"
        lines.append(f"| {label} | {process} | {' | '.join(f'{mb:.1f}' for mb in sizes)} |")
    return lines


def export_section(exported: dict[str, list[SpansExported]]) -> list[str]:
    if not exported:
        return []
    lines = [
        "",
        "## Telemetry export",
        "",
        "Spans received by the run's OTLP sink (bench/otlp_sink.py) while each traced scenario "
        "ran, over all rounds. The kept process exports in batches, so a few of one scenario's "
        "spans may be counted in the next one's.",
        "",
        "| | spans received | requests served | spans per request |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, rounds in exported.items():
        spans = sum(exported.spans for exported in rounds)
        requests = sum(exported.requests for exported in rounds)
        per_request = f"{spans / requests:.2f}" if requests else "-"
        lines.append(f"| {label} | {spans} | {requests} | {per_request} |")
    return lines


def startup_section(startup_seconds: dict[str, list[float]]) -> list[str]:
    lines = []
    for server, starts in startup_seconds.items():
        command = "`serve`" if server == "uvicorn" else f"`{server}`"
        lines.append(
            f"- {command}: median {statistics.median(starts):.2f} s over {len(starts)} "
            f"start{'' if len(starts) == 1 else 's'} "
            f"({min(starts):.2f} to {max(starts):.2f} s)"
        )
    if not lines:
        return []
    return ["", "## Start-up", "", "Launch to the first 200 on `/health/ready`:", "", *lines]


def server_section(rows: Sequence[Row]) -> list[str]:
    found = {label: rounds for label, _, rounds in rows}
    pairs = [
        (label, found[label], found[f"{label} ({GRANIAN})"])
        for label, _, _ in rows
        if f"{label} ({GRANIAN})" in found
    ]
    if not pairs:
        return []
    lines = [
        "",
        "## ASGI server",
        "",
        "| | uvicorn req/s | granian req/s | granian / uvicorn | p99 ms uvicorn | p99 ms granian |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, uvicorn_rounds, granian_rounds in pairs:
        ratio = median_ratio(granian_rounds, uvicorn_rounds)
        uvicorn, granian = median_round(uvicorn_rounds), median_round(granian_rounds)
        lines.append(
            f"| {label} | {uvicorn.requests_per_second:.0f} | {granian.requests_per_second:.0f} "
            f"| {ratio:.2f} | {uvicorn.p99_ms:.1f} | {granian.p99_ms:.1f} |"
        )
    return lines


def _at_least(name: str, measured: float, least: float) -> str:
    return _row(name, f"{measured:.2f}", met=measured >= least)


def _at_most(name: str, measured: float, most: float) -> str:
    return _row(name, f"{measured:.2f}", met=measured <= most)


def _row(name: str, measured: str, *, met: bool) -> str:
    return f"| {name} | {measured} | {'yes' if met else 'NO'} |"


def _ratio(found: dict[str, Rounds], label: str, denominator: str) -> str:
    return f"{median_ratio(found[label], found[denominator]):.2f}" if denominator in found else "-"
