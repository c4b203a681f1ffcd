"""`make bench` reads wrk's output and reports ratios and targets (bench/report.py).

Running the benchmark takes minutes and measures one machine: it is not a test. What is tested
is that the numbers it reports are the numbers wrk printed, that a ratio is taken round by
round (bench/ratios.py), and that each target says `NO` when it is missed.
"""

import pytest

from bench.ratios import median_ratio, median_round
from bench.report import THROUGHPUT_TARGETS, Results, Row, SpansExported, render
from bench.scenarios import Scenario, in_measuring_order
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

    assert measured == Measurement(
        requests_per_second=3051.2, p50_ms=0.85, p99_ms=1200.0, errors=7, requests=30512
    )


def test_output_without_a_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:8731 Connection refused\n")


def at(requests_per_second: float, p99_ms: float = 10.0) -> Measurement:
    return Measurement(requests_per_second, p50_ms=1.0, p99_ms=p99_ms, errors=0)


def row(label: str, title: str, *rounds: Measurement) -> Row:
    return label, title, list(rounds)


# A shared machine's drift: H and G each slow down in a different round. The medians of each
# (800 and 1000) come from different rounds; within each round G stays at 0.75 H or below.
G_ROUNDS = [at(1000), at(600), at(800)]
H_ROUNDS = [at(1000), at(800), at(1200)]


def test_a_ratio_is_the_median_of_the_ratios_of_each_round() -> None:
    assert median_ratio(G_ROUNDS, H_ROUNDS) == pytest.approx(0.75)
    assert median_round(G_ROUNDS).requests_per_second == 800


def test_a_ratio_of_rounds_of_unequal_number_is_refused() -> None:
    with pytest.raises(ValueError, match=r"shorter|longer"):
        median_ratio(G_ROUNDS, H_ROUNDS[:2])


def test_the_table_shows_the_median_round_and_the_targets_the_per_round_ratio() -> None:
    rows = [row("H", "JWT + GET", *H_ROUNDS), row("G", "cached", *G_ROUNDS)]

    table = render(Results("heading", rows))

    assert "| G | cached | 800 | 1.0 | 10.0 | 0 | - | 0.75 |" in table
    assert "| G >= 0.85 H | 0.75 | NO |" in table


def test_the_table_gives_each_scenario_its_ratios_to_both_ceilings() -> None:
    rows = [row("A", "bare", at(10_000)), row("H", "JWT + GET", at(4000)), row("G", "", at(3000))]

    table = render(Results("heading", rows))

    assert "| G |  | 3000 | 1.0 | 10.0 | 0 | 0.30 | 0.75 |" in table
    assert "| G >= 0.85 H | 0.75 | NO |" in table


def test_every_throughput_target_is_reported_when_every_scenario_ran() -> None:
    rows = [
        row("A", "", at(10_000)),
        row("H", "", at(4000, p99_ms=20.0)),
        row("B", "", at(2600, p99_ms=25.0)),
        row("B10", "", at(2850)),
        row("G", "", at(3200)),
        row("C", "", at(1300)),
        row("D", "", at(2500)),
        row("F", "", at(8400)),
    ]

    table = render(Results("heading", rows))

    for numerator, denominator, least in THROUGHPUT_TARGETS:
        assert f"| {numerator} >= {least:.2f} {denominator} |" in table
    assert "| B >= 0.80 G | 0.81 | yes |" in table
    assert "| B10 >= 0.90 G | 0.89 | NO |" in table
    assert "| D >= 0.80 G | 0.78 | NO |" in table
    assert "| F >= 0.85 A | 0.84 | NO |" in table
    assert "| p99(B) <= 1.5 p99(H) | 1.25 | yes |" in table


def memory_results(b_sizes: list[float], j_sizes: list[float]) -> Results:
    rows = [row("B", "cached", at(3000)), row("J", "jobs", at(400)), row("G", "fresh", at(3100))]
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

    table = render(Results("heading", [row("A", "bare", at(10_000))], startup_seconds=starts))

    assert "| start-up <= 2 s | 2.10 | NO |" in table
    assert "- `serve`: median 2.10 s over 3 starts (1.20 to 3.50 s)" in table
    assert "- `granian`: median 0.90 s over 1 start" in table


def test_granian_is_compared_with_uvicorn_on_the_same_scenario() -> None:
    rows = [
        row("A", "bare", at(10_000)),
        row("G", "cached", at(3000, p99_ms=12.0)),
        row("G (granian)", "cached", at(3300, p99_ms=11.0)),
    ]

    table = render(Results("heading", rows))

    assert "| G | 3000 | 3300 | 1.10 | 12.0 | 11.0 |" in table
    assert "| A | 10000 |" not in table  # no granian row for A: nothing to compare


def exported_results(b_spans: list[int]) -> Results:
    rows = [row("B", "cached", *(at(3000) for _ in b_spans)), row("B10", "sampled", at(3100))]
    exported = {
        "B": [SpansExported(spans, requests=1000) for spans in b_spans],
        "B10": [SpansExported(110, requests=1000)],
    }
    return Results("heading", rows, exported=exported)


def test_the_spans_each_traced_scenario_exported_are_counted_per_request() -> None:
    table = render(exported_results([900, 1100]))

    assert "| spans received from B > 0 | 2000 | yes |" in table
    assert "| B | 2000 | 2000 | 1.00 |" in table
    assert "| B10 | 110 | 1000 | 0.11 |" in table


def test_b_without_a_span_received_is_a_missed_target() -> None:
    table = render(exported_results([0, 0]))

    assert "| spans received from B > 0 | 0 | NO |" in table


def test_the_two_sides_of_the_hardest_targets_are_measured_side_by_side() -> None:
    plan = [Scenario(letter, "", "/", "app") for letter in ("A", "H", "B", "G", "V1", "D")]

    letters = [scenario.letter for scenario in in_measuring_order(plan)]

    assert letters == ["A", "H", "G", "B", "D", "V1"]
