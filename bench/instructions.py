"""`make bench-instructions`: instructions per cached item read (G), per H, and per traced
cached read (B), under callgrind.

Throughput on a shared two-core machine moves with whatever else runs; instructions do not.
Callgrind counts every instruction the process executes, so each target is run twice, with a
few reads and with many, and the difference divided by the extra reads is the cost of one read,
free of start-up. The app is called through ASGI in process, as in `bench/layers.py` (no
server, tracing off as in G). Redis's own work is not in the count. The ratio H/G approximates
G/H's in-process share: the ASGI server's cost per request (the same for both) is not in it.
B is G with every request traced and exported over OTLP/HTTP to the benchmark's sink (a
process of its own, so not counted); each run ends with a flush, so that every span's encoding
and export is in the count: B - G is what tracing costs a read, the exporter's thread included.
Bs makes the same spans and exports none: Bs - G is the SDK's making of spans, B - Bs the export.

    python bench/instructions.py            # every target, a table
    python bench/instructions.py G B        # these targets (or BENCH_ONLY=G,B)
    python bench/instructions.py G 510      # one child run (what the parent runs under valgrind)
"""

import asyncio
import os
import re
import shutil
import subprocess
import sys

import layers

from bench.otlp_sink import otlp_sink
from bench.postgresql import fresh_database
from bench.scenarios import TRACED_NOT_EXPORTED, exporting_to
from bench.service import PROJECT, prepared_service

FEW, MANY = 10, int(os.environ.get("BENCH_READS", "510"))
TARGETS = {
    "G": "cached item read",
    "H": "JWT + one GET",
    "B": "G traced, exported",
    "Bs": "G traced, not exported",
}
WARM_UP = 50  # the first calls build FastAPI's caches
COLLECTED = re.compile(r"Collected : (\d+)")


async def read_n(target: str, reads: int, password: str) -> None:
    app = layers.app_without(None, rate_limited=True)
    async with app.router.lifespan_context(app):  # its shutdown exports B's queued spans
        path, headers = await layers.an_item_to_read(app, password)
        read = layers.reader(app, path, headers)
        if target == "H":
            ceilings = __import__("bench.ceilings", fromlist=["jwt_redis"])
            _, value = await layers.call(app, "GET", path, headers)
            await ceilings.redis.set(ceilings.REDIS_KEY, value)  # what H returns
            read = layers.reader(ceilings.jwt_redis, "/", headers)
        layers.READS = WARM_UP
        await read()
        layers.READS = reads
        await read()


def child(target: str, reads: int) -> None:
    with prepared_service(fresh_database, pool_size=4) as service:
        os.environ.update(service.env)
        if target == "Bs":  # the spans made and ended, sent nowhere: no exporter at all
            os.environ.update(TRACED_NOT_EXPORTED)
        elif target != "B":
            os.environ["OTEL_SDK_DISABLED"] = "true"  # as G: tracing off
        # Signing in hashes a password with argon2, which takes seconds under valgrind.
        os.environ["REQUEST_TIMEOUT_SECONDS"] = "600"
        asyncio.run(read_n(target, reads, service.password))


def instructions(target: str, reads: int, env: dict[str, str]) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, __file__, target, str(reads)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        failure = done.stderr[-2000:]
        raise SystemExit(f"error: the {target} run with {reads} reads failed:\n{failure}")
    return int(found.group(1))


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[2].isdigit():
        child(sys.argv[1], int(sys.argv[2]))
        return 0
    if shutil.which("valgrind") is None:
        print("error: valgrind is missing (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    targets = sys.argv[1:] or only or list(TARGETS)
    unknown = [target for target in targets if target not in TARGETS]
    if unknown:
        print(f"error: unknown targets {unknown}; known: {list(TARGETS)}", file=sys.stderr)
        return 1
    with otlp_sink() as sink:
        env = {**os.environ, **exporting_to(sink.endpoint)}  # B's telemetry, as `make bench`'s
        # One at a time: two at once made one run's sign-in fail under valgrind (not understood).
        counted = {(t, n): instructions(t, n, env) for t in targets for n in (FEW, MANY)}
    per_read = {t: (counted[t, MANY] - counted[t, FEW]) / (MANY - FEW) for t in targets}
    print(f"Instructions per read (callgrind, in process, {MANY - FEW} reads), {PROJECT.name}")
    for target in targets:
        print(f"  {target} ({TARGETS[target]})".ljust(34) + f"{per_read[target] / 1e6:6.3f} M")
    if "G" in per_read:
        for other in ("H", "B", "Bs"):
            if other in per_read:
                print(f"  {other} / G".ljust(34) + f"{per_read[other] / per_read['G']:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
