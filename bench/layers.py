"""`make bench-layers`: the CPU a cached item read (G) spends in each layer of the service.

The baked service's app is called through ASGI in process (no server, no network, tracing off
as in G), N reads per variant, interleaved over rounds; each variant leaves one part out (a
middleware, or the rate limit), and the median CPU microseconds per read are printed beside the
whole app's and beside H's (the JWT check and one Redis GET). Two more rows price tokens from an
identity provider: the app with `OIDC_ISSUER` set, read with its own token and with a
provider's (signed by the baked tests' stand-in provider, on loopback). CPU time of this process
only, so Redis's own work (the rate limit's script) is not in it: `make bench` measures that.
Runs on the baked project's harness (its bench/ package) and test helpers, which `make
bench-layers` puts on the path:

    python bench/layers.py
"""

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bench.postgresql import fresh_database
from bench.service import ADMIN_EMAIL, PACKAGE, prepared_service

READS = int(os.environ.get("BENCH_READS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
# ASGI's shapes, as Starlette spells them (the template's own environment has no Starlette).
Message = dict[str, Any]
ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
Read = Callable[[], Awaitable[float]]
ITEM = {"name": "Benchmark item", "description": "Read over and over.", "price": "9.99"}
# A variant's name, and the middleware class it leaves out (None: the rate limit, off).
WITHOUT = {
    "without the rate limit": None,
    "without ErrorBoundary": "ErrorBoundary",
    "without SecurityMiddleware": "SecurityMiddleware",
    "without TelemetryMiddleware": "TelemetryMiddleware",
    "without LivenessProbe": "LivenessProbe",
    "without RequestContextMiddleware": "RequestContextMiddleware",
}
OIDC_OWN = "with OIDC_ISSUER set, its own token"
OIDC_PROVIDER = "with OIDC_ISSUER set, a provider token"


def scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }


async def call(
    app: ASGIApp, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
) -> tuple[int, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope(method, path, headers), receive, send)
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def cpu_microseconds_per_read(
    app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]]
) -> float:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Message) -> None:
        return None

    request = scope("GET", path, headers)
    started = time.process_time()
    for _ in range(READS):
        await app(dict(request), receive, send)
    return (time.process_time() - started) / READS * 1e6


def reader(app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]]) -> Read:
    return lambda: cpu_microseconds_per_read(app, path, headers)


def app_without(
    leave_out: str | None, rate_limited: bool, env: Mapping[str, str] | None = None
) -> Any:
    """The baked app, one part left out, its settings read with `env` on top of the run's."""
    overrides = {"RATE_LIMIT_PER_MINUTE": str(10**9) if rate_limited else "0", **(env or {})}
    kept = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        app = __import__(f"{PACKAGE}.main", fromlist=["create_app"]).create_app()
    finally:  # the next app reads the run's environment again
        for name, value in kept.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value
    if leave_out is not None:  # the stack is built at the first call, from this list
        app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ != leave_out]
    return app


def provider_env(issuer: str, audience: str) -> dict[str, str]:
    """Tokens from the stand-in provider accepted beside the app's own."""
    return {
        "OIDC_ISSUER": issuer,
        "OIDC_AUDIENCE": audience,
        # Production refuses an issuer that is not https, and the stand-in is http; docs stay
        # off as in production, or their routes would be tried before the API's.
        "ENVIRONMENT": "development",
        "DOCS_ENABLED": "false",
    }


async def measure(password: str, provider: Any, audience: str) -> dict[str, float]:
    apps: dict[str, Any] = {"the whole app": app_without(None, rate_limited=True)}
    for name, leave_out in WITHOUT.items():
        apps[name] = app_without(leave_out, rate_limited=leave_out is not None)
    apps[OIDC_OWN] = app_without(None, True, provider_env(provider.issuer, audience))
    ceilings = __import__("bench.ceilings", fromlist=["jwt_redis"])
    contexts = [app.router.lifespan_context(app) for app in apps.values()]
    for context in contexts:
        await context.__aenter__()
    try:
        path, headers = await an_item_to_read(apps["the whole app"], password)
        _, value = await call(apps["the whole app"], "GET", path, headers)
        await ceilings.redis.set(ceilings.REDIS_KEY, value)  # what H returns
        reads = {name: reader(app, path, headers) for name, app in apps.items()}
        # An admin at the provider (the item is the benchmark admin's), provisioned on first sight.
        claims = {"roles": ["admin"], "exp": int(time.time()) + 3600}
        from_provider = [(b"authorization", f"Bearer {provider.token(**claims)}".encode())]
        status, body = await call(apps[OIDC_OWN], "GET", path, from_provider)
        if status != 200:
            raise SystemExit(f"error: the provider's token read {status}: {body!r}")
        reads[OIDC_PROVIDER] = reader(apps[OIDC_OWN], path, from_provider)
        reads["H (JWT check + one Redis GET)"] = reader(ceilings.jwt_redis, "/", headers)
        for read in reads.values():  # warm up: the first calls build FastAPI's caches
            await read()
        samples: dict[str, list[float]] = {name: [] for name in reads}
        for _ in range(ROUNDS):
            for name, read in reads.items():
                samples[name].append(await read())
        return {name: statistics.median(values) for name, values in samples.items()}
    finally:
        for context in contexts:
            await context.__aexit__(None, None, None)


async def an_item_to_read(app: ASGIApp, password: str) -> tuple[str, list[tuple[bytes, bytes]]]:
    form = f"username={ADMIN_EMAIL}&password={password}".encode()
    form_type = (b"content-type", b"application/x-www-form-urlencoded")
    status, answer = await call(app, "POST", "/api/v1/auth/token", [form_type], form)
    if status != 200:
        raise SystemExit(f"error: signing in answered {status}: {answer!r}")
    headers = [(b"authorization", f"Bearer {json.loads(answer)['access_token']}".encode())]
    body = json.dumps(ITEM).encode()
    json_type = (b"content-type", b"application/json")
    status, created = await call(app, "POST", "/api/v1/items", [*headers, json_type], body)
    if status != 201:
        raise SystemExit(f"error: creating the item answered {status}: {created!r}")
    return f"/api/v1/items/{json.loads(created)['id']}", headers


def main() -> int:
    with prepared_service(fresh_database, pool_size=4) as service:
        os.environ.update(service.env)
        os.environ["OTEL_SDK_DISABLED"] = "true"  # as G: tracing off
        # The baked tests' stand-in identity provider (tests/identity_provider.py), on loopback.
        module = __import__("tests.identity_provider", fromlist=["IdentityProvider"])
        provider = module.IdentityProvider().start()
        try:
            medians = asyncio.run(measure(service.password, provider, module.AUDIENCE))
        finally:
            provider.stop()
    whole = medians["the whole app"]
    print(f"CPU µs per cached item read, median of {ROUNDS} rounds of {READS} (ASGI, in process)")
    for name, median in medians.items():
        print(f"  {name:40} {median:7.1f}  ({median - whole:+.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
