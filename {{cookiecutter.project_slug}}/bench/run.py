"""`make bench`: the service's throughput beside two ceilings, measured in one run (SPEC 10).

Runs the service in server mode (a fresh database, its own Redis key prefix) under one server
process pinned to core 0, loaded by `wrk` pinned to core 1 on 127.0.0.1, beside a bare FastAPI
app (A) and a JWT check with one Redis GET (H); traced scenarios export their spans to a local
OTLP sink, on core 1 too; samples the service's memory and times its start-up; serves A and G
under granian too. Writes bench/results.md and prints it. How to read it: docs/benchmarks.md.

Environment: BENCH_DURATION (seconds per round, default 10), BENCH_ROUNDS (3),
BENCH_CONNECTIONS (32), BENCH_ONLY (scenario letters, e.g. "A,H,G"), BENCH_POSTGRES_URL and
BENCH_REDIS_URL (the servers, on 127.0.0.1 by default).
"""

import os
import sys

from bench import {{ cookiecutter.database }} as database
{%- if cookiecutter.include_example_domain == "y" %}
from bench.items import create_item, item_reads
{%- endif %}
from bench.otlp_sink import otlp_sink
from bench.report import render
from bench.rounds import measure
from bench.scenarios import (
    CONNECTIONS,
    ceilings,
    exporting_to,
    in_measuring_order,
    on_granian,
    service_calls,
)
from bench.servers import serve
{%- if cookiecutter.include_example_domain == "y" %}
from bench.service import PROJECT, SERVICE, prepared_service, set_ceiling_value, sign_in
{%- else %}
from bench.service import PROJECT, SERVICE, call, prepared_service, set_ceiling_value, sign_in
{%- endif %}
from bench.tools import ensure_installed
from bench.wrk import LOAD_CORE

RESULTS = PROJECT / "bench" / "results.md"


def main() -> int:
    ensure_installed("wrk", "wrk")
    # The harness's own work (wrk's parsing, the polls) stays off the server's core.
    os.sched_setaffinity(0, {LOAD_CORE})
    with prepared_service(database.fresh_database, CONNECTIONS) as prepared:
        with serve(SERVICE, prepared.env):
            token = sign_in(prepared.password)
{%- if cookiecutter.include_example_domain == "y" %}
            item = create_item(token)
        set_ceiling_value(prepared.env, item)
        plan = [*ceilings(), *item_reads(item["id"]), *service_calls(prepared.password)]
{%- else %}
            me = call("GET", "/api/v1/users/me", token=token)
        set_ceiling_value(prepared.env, me)
        plan = [*ceilings(), *service_calls(prepared.password)]
{%- endif %}
        with otlp_sink() as sink:
            env = {**prepared.env, **exporting_to(sink.endpoint)}
            results = measure(in_measuring_order([*plan, *on_granian(plan)]), env, token, sink)
    table = render(results)
    RESULTS.write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
