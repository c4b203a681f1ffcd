"""From rounds to the report's numbers.

Every scenario runs once per round. A row of the table shows the scenario's median round; a
ratio is the median of the ratios taken round by round, both sides measured in the same round,
next to each other where the order allows (bench/scenarios.py). A slow spell of a shared
machine then weighs on both sides of a ratio at once: dividing two medians taken from
different rounds would let it weigh on one side only.
"""

import statistics
from collections.abc import Callable, Sequence
from typing import TypeAlias

from bench.wrk import Measurement

Rounds: TypeAlias = Sequence[Measurement]  # one scenario's measurement in each round, in order


def throughput(measured: Measurement) -> float:
    return measured.requests_per_second


def p99(measured: Measurement) -> float:
    return measured.p99_ms


def median_round(rounds: Rounds) -> Measurement:
    """The round of median throughput (the upper one of two middles), with its latencies."""
    by_throughput = sorted(rounds, key=throughput)
    return by_throughput[len(by_throughput) // 2]


def median_ratio(
    numerator: Rounds, denominator: Rounds, of: Callable[[Measurement], float] = throughput
) -> float:
    """The median over rounds of `of(numerator) / of(denominator)`, each pair from one round."""
    return statistics.median(
        of(above) / of(below) for above, below in zip(numerator, denominator, strict=True)
    )
