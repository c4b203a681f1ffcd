"""`make bench` reads wrk's output and reports ratios and targets (bench/report.py).

Running the benchmark takes minutes and measures one machine: it is not a test. What is tested
is that the numbers it reports are the numbers wrk printed, and that each target says `NO` when
it is missed.
"""

import pytest

from bench.report import THROUGHPUT_TARGETS, Results, render
from bench.wrk import Measurement, parse_wrk

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8731/api/v1/users/me
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.52ms    2.01ms  40.00ms   91.00%
    Req/Sec     3.05k   120.00     3.30k    70.00%
  Latency Distribution
     50%  850.00us
     75%   10.90ms
     90%   11.80ms
     99%    1.20s
  30512 requests in 10.00s, 9.80MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   3051.20
Transfer/sec:      0.98MB
"""


def test_wrk_numbers_are_read_in_milliseconds() -> None:
    measured = parse_wrk(WRK_OUTPUT)

    assert measured == Measurement(requests_per_second=3051.2, p50_ms=0.85, p99_ms=1200.0, errors=7)


def test_output_without_a_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:8731 Connection refused\n")


def at(requests_per_second: float, p99_ms: float = 10.0) -> Measurement:
    return Measurement(requests_per_second, p50_ms=1.0, p99_ms=p99_ms, errors=0)


def test_the_table_gives_each_scenario_its_ratios_to_both_ceilings() -> None:
    rows = [("A", "bare", at(10_000)), ("H", "JWT + GET", at(4000)), ("G", "cached", at(3000))]

    table = render(Results("heading", rows))

    assert "| G | cached | 3000 | 1.0 | 10.0 | 0 | 0.30 | 0.75 |" in table
    assert "| G >= 0.85 H | 0.75 | NO |" in table


def test_every_throughput_target_is_reported_when_every_scenario_ran() -> None:
    rows = [
        ("A", "", at(10_000)),
        ("H", "", at(4000, p99_ms=20.0)),
        ("B", "", at(2600, p99_ms=25.0)),
        ("G", "", at(3200)),
        ("C", "", at(1300)),
        ("D", "", at(2500)),
        ("F", "", at(8400)),
    ]

    table = render(Results("heading", rows))

    for numerator, denominator, least in THROUGHPUT_TARGETS:
        assert f"| {numerator} >= {least:.2f} {denominator} |" in table
    assert "| B >= 0.80 G | 0.81 | yes |" in table
    assert "| D >= 0.80 G | 0.78 | NO |" in table
    assert "| F >= 0.85 A | 0.84 | NO |" in table
    assert "| p99(B) <= 1.5 p99(H) | 1.25 | yes |" in table


def memory_results(b_sizes: list[float], j_sizes: list[float]) -> Results:
    rows = [("B", "cached", at(3000)), ("J", "jobs", at(400)), ("G", "fresh", at(3100))]
    sizes = {"B": b_sizes, "J": j_sizes, "G": [90.0, 91.0, 90.5]}
    return Results("heading", rows, sizes, kept=["B", "J"], startup_seconds={"uvicorn": [1.0]})


def test_memory_is_tabled_per_round_and_the_kept_process_is_named() -> None:
    table = render(memory_results([101.0, 102.0, 102.5], [104.0, 105.0, 106.0]))

    assert "| B | kept | 101.0 | 102.0 | 102.5 |" in table
    assert "| G | fresh | 90.0 | 91.0 | 90.5 |" in table
    assert "| RSS after B <= 150 MB | 102.50 | yes |" in table
    assert "| RSS growth, round 1 to 3 <= 5% | +1.9% | yes |" in table


def test_memory_over_its_bounds_is_a_missed_target() -> None:
    # The growth is read from the last kept scenario: J, not B.
    table = render(memory_results([120.0, 151.0, 140.0], [100.0, 104.0, 110.0]))

    assert "| RSS after B <= 150 MB | 151.00 | NO |" in table
    assert "| RSS growth, round 1 to 3 <= 5% | +10.0% | NO |" in table


def test_startup_is_the_median_of_the_service_starts() -> None:
    starts = {"uvicorn": [1.2, 3.5, 2.1], "granian": [0.9]}

    table = render(Results("heading", [("A", "bare", at(10_000))], startup_seconds=starts))

    assert "| start-up <= 2 s | 2.10 | NO |" in table
    assert "- `serve`: median 2.10 s over 3 starts (1.20 to 3.50 s)" in table
    assert "- `granian`: median 0.90 s over 1 start" in table


def test_granian_is_compared_with_uvicorn_on_the_same_scenario() -> None:
    rows = [
        ("A", "bare", at(10_000)),
        ("G", "cached", at(3000, p99_ms=12.0)),
        ("G (granian)", "cached", at(3300, p99_ms=11.0)),
    ]

    table = render(Results("heading", rows))

    assert "| G | 3000 | 3300 | 1.10 | 12.0 | 11.0 |" in table
    assert "| A | 10000 |" not in table  # no granian row for A: nothing to compare
