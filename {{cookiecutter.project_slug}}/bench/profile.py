"""`make bench-profile`: where scenario B (the cached item read, every request traced and
exported over OTLP) spends the service's CPU, as py-spy sees it.

Serves the service as `make bench` serves B (same environment, the same local OTLP sink), loads
it with wrk for `BENCH_DURATION` seconds while py-spy samples the serving process, and prints the
functions with the most samples (own time, then with callees), and wrk's requests per second
(samples per request compare two scenarios). `SCENARIO=G` profiles G (tracing off) instead,
`SCENARIO=Bs` Bs (B's spans, exported nowhere). Needs py-spy (`pip install py-spy`), wrk,
PostgreSQL and Redis.
"""

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import {{ cookiecutter.database }} as database
from bench.items import create_item
from bench.otlp_sink import otlp_sink
from bench.scenarios import CONNECTIONS, TELEMETRY_OFF, TRACED_NOT_EXPORTED, exporting_to
from bench.servers import serve
from bench.service import PORT, SERVICE, prepared_service, sign_in

DURATION = int(os.environ.get("BENCH_DURATION", "15"))
TOP = 25


def main() -> int:
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        print("py-spy is not installed: pip install py-spy", file=sys.stderr)
        return 1
    scenario = os.environ.get("SCENARIO", "B")
    with otlp_sink() as sink, prepared_service(database.fresh_database, CONNECTIONS) as service:
        # As `make bench` composes them: the run's telemetry, then the scenario's changes.
        env = {**service.env, **exporting_to(sink.endpoint)}
        if scenario == "G":
            env.update(TELEMETRY_OFF)
        elif scenario == "Bs":
            env.update(TRACED_NOT_EXPORTED)
        with serve(SERVICE, env) as server:
            token = sign_in(service.password)
            item = create_item(token)
            url = f"http://127.0.0.1:{PORT}/api/v1/items/{item['id']}"
            raw = Path(f"/tmp/bench-profile-{scenario}.txt")  # noqa: S108 - a report, not a secret
            record = [py_spy, "record", "--pid", str(server.pid), "--format", "raw"]
            timing = ["--duration", str(DURATION), "--rate", "250", "--nonblocking"]
            spy = subprocess.Popen([*record, "--output", str(raw), *timing])
            load = ["taskset", "-c", "1", "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s"]
            authorized = ["-H", f"Authorization: Bearer {token}"]
            done = subprocess.run([*load, *authorized, url], check=True, capture_output=True)
            spy.wait()
    print_top(raw.read_text(), scenario)
    rate = next((line for line in done.stdout.decode().splitlines() if "Requests/sec" in line), "")
    print(f"\nwrk: {rate.strip()}")
    return 0


# Where a sample's stack runs: the span exporter's thread, waiting for events, or serving.
PARTS = {"exporting spans (its own thread)": "BatchProcessor", "idle (waiting in select)": "select"}


def print_top(collapsed: str, scenario: str) -> None:
    """Collapsed stacks (`frame;frame;... count`): the parts, then each function's own and
    total samples."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        frames = stack.split(";")
        own[frames[-1]] += samples
        for frame in set(frames):
            total[frame] += samples
        part = next((name for name, mark in PARTS.items() if mark in stack), "serving requests")
        parts[part] += samples
    everything = sum(own.values())
    print(f"py-spy, scenario {scenario}: {everything} samples of the serving process")
    for part, samples in parts.most_common():
        print(f"  {100 * samples / everything:5.1f}%  {part}")
    for title, counter in (("own time", own), ("with callees", total)):
        print(f"\ntop {TOP} by {title}:")
        for frame, samples in counter.most_common(TOP):
            print(f"  {100 * samples / everything:5.1f}%  {frame}")


if __name__ == "__main__":
    sys.exit(main())
