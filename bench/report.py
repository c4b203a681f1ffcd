"""What `make bench` reads from wrk and writes to bench/results.md, apart from running things
(so that the template's tests can check it on recorded wrk output)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

# SPEC 10's targets: (numerator, denominator, least ratio of their req/s).
THROUGHPUT_TARGETS = [("G", "H", 0.85), ("B", "G", 0.80), ("C", "A", 0.12), ("F", "A", 0.85)]
P99_TARGET = ("B", "H", 1.5)  # p99(B) <= 1.5 p99(H)
LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # Non-2xx answers and socket errors: a scenario with errors measured the wrong thing.
    errors: int


def parse_wrk(output: str) -> Measurement:
    """The numbers of one `wrk --latency` run."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rate is None:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors[1]) if errors else 0
    failed += sum(map(int, socket_errors.groups())) if socket_errors else 0
    return Measurement(float(rate[1]), _latency_ms(output, "50"), _latency_ms(output, "99"), failed)


def _latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {percentile}% latency in wrk's output:\n{output}")
    return float(match[1]) * LATENCY_UNITS_MS[match[2]]


def render(heading: str, measured: Sequence[tuple[str, str, Measurement]]) -> str:
    """The results as Markdown: one row per scenario, then each target and whether it is met."""
    found = {letter: measurement for letter, _, measurement in measured}
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        heading,
        "",
        "| | scenario | req/s | p50 ms | p99 ms | errors | /A | /H |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for letter, title, measurement in measured:
        lines.append(
            f"| {letter} | {title} | {measurement.requests_per_second:.0f} "
            f"| {measurement.p50_ms:.1f} | {measurement.p99_ms:.1f} | {measurement.errors} "
            f"| {_ratio(found, letter, 'A')} | {_ratio(found, letter, 'H')} |"
        )
    lines += ["", "| target | measured | met |", "| --- | ---: | --- |"]
    for numerator, denominator, least in THROUGHPUT_TARGETS:
        if numerator in found and denominator in found:
            ratio = _throughput_ratio(found, numerator, denominator)
            lines.append(
                f"| {numerator} >= {least:.2f} {denominator} | {ratio:.2f} "
                f"| {'yes' if ratio >= least else 'NO'} |"
            )
    slow, fast, most = P99_TARGET
    if slow in found and fast in found:
        ratio = found[slow].p99_ms / found[fast].p99_ms
        lines.append(
            f"| p99({slow}) <= {most:.1f} p99({fast}) | {ratio:.2f} "
            f"| {'yes' if ratio <= most else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def _throughput_ratio(found: dict[str, Measurement], numerator: str, denominator: str) -> float:
    return found[numerator].requests_per_second / found[denominator].requests_per_second


def _ratio(found: dict[str, Measurement], letter: str, denominator: str) -> str:
    return f"{_throughput_ratio(found, letter, denominator):.2f}" if denominator in found else "-"
