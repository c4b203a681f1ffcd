"""The load: `wrk` on its own core, and the numbers read back from what it prints."""

import re
import subprocess
import tempfile
from dataclasses import dataclass

from bench.scenarios import Scenario

LOAD_CORE = 1  # the server has core 0: load and server never compete for one core
LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # Non-2xx answers and socket errors: a scenario with errors measured the wrong thing.
    errors: int
    requests: int = 0  # answered in the run, whatever their status


def load(scenario: Scenario, token: str, seconds: int, port: int) -> Measurement:
    command = ["taskset", "-c", str(LOAD_CORE), "wrk", "-t1", f"-c{scenario.connections}"]
    command += [f"-d{seconds}s", "--latency"]
    if scenario.authenticated:
        command += ["-H", f"Authorization: Bearer {token}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if scenario.lua:
            script.write(scenario.lua)
            script.flush()
            command += ["-s", script.name]
        command.append(f"http://127.0.0.1:{port}{scenario.path}")
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    return parse_wrk(done.stdout)


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
    served = re.search(r"^\s+(\d+) requests in ", output, re.MULTILINE)
    return Measurement(
        float(rate[1]),
        _latency_ms(output, "50"),
        _latency_ms(output, "99"),
        failed,
        int(served[1]) if served else 0,
    )


def _latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {percentile}% latency in wrk's output:\n{output}")
    return float(match[1]) * LATENCY_UNITS_MS[match[2]]
