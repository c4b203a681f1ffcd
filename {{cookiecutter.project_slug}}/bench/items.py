"""The example resource's reads: B, Bs, B10, G and C ask for one item, cached or not, traced
(every request or a tenth) or not, and the spans exported or not."""

import json
from typing import Any

from bench.scenarios import TELEMETRY_OFF, TEN_PERCENT_SAMPLED, TRACED_NOT_EXPORTED, Scenario
from bench.service import SERVICE, call


def create_item(token: str) -> dict[str, Any]:
    """The item every read asks for, as a read returns it."""
    item = {"name": "Benchmark item", "description": "Read over and over.", "price": "9.99"}
    created = call("POST", "/api/v1/items", json.dumps(item).encode(), "application/json", token)
    return call("GET", f"/api/v1/items/{created['id']}", token=token)


def item_reads(item_id: str) -> list[Scenario]:
    path = f"/api/v1/items/{item_id}"
    return [
        # Spans exported to the run's OTLP sink (bench/otlp_sink.py), in the kept process.
        Scenario("B", "cached item read, telemetry on", path, SERVICE),
        Scenario("Bs", "cached item read, not exported", path, SERVICE, TRACED_NOT_EXPORTED),
        Scenario("B10", "cached item read, 10% sampled", path, SERVICE, TEN_PERCENT_SAMPLED),
        Scenario("G", "cached item read, telemetry off", path, SERVICE, TELEMETRY_OFF),
        # Telemetry off, as G: C and G then differ only by the cache. B alone prices telemetry.
        Scenario(
            "C",
            "uncached item read, telemetry off",
            path,
            SERVICE,
            {**TELEMETRY_OFF, "CACHE_ENABLED": "false"},
        ),
    ]
