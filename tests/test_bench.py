"""`make bench` reads wrk's output and reports ratios and targets (bench/report.py).

Running the benchmark itself takes minutes and measures this machine: it is not a test. What is
tested is that the numbers it reports are the numbers wrk printed.
"""

import pytest

from report import THROUGHPUT_TARGETS, Measurement, parse_wrk, render

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8731/api/v1/items/1
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
    table = render(
        "heading",
        [("A", "bare", at(10_000)), ("H", "JWT + GET", at(4000)), ("G", "cached", at(3000))],
    )

    assert "| G | cached | 3000 | 1.0 | 10.0 | 0 | 0.30 | 0.75 |" in table
    assert "| G >= 0.85 H | 0.75 | NO |" in table


def test_every_target_is_reported_when_every_scenario_ran() -> None:
    measured = [
        ("A", "", at(10_000)),
        ("H", "", at(4000, p99_ms=20.0)),
        ("B", "", at(2600, p99_ms=25.0)),
        ("G", "", at(3200)),
        ("C", "", at(1300)),
        ("F", "", at(8400)),
    ]

    table = render("heading", measured)

    for numerator, denominator, least in THROUGHPUT_TARGETS:
        assert f"| {numerator} >= {least:.2f} {denominator} |" in table
    assert "| B >= 0.80 G | 0.81 | yes |" in table
    assert "| F >= 0.85 A | 0.84 | NO |" in table
    assert "| p99(B) <= 1.5 p99(H) | 1.25 | yes |" in table
