"""The composition root: `create_app()` is the one place where the layers meet.

The API knows ports; infrastructure knows adapters; only this module knows which adapter
implements which port in this process.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine

from . import __version__
from .api.middleware.error_boundary import ErrorBoundary
from .api.middleware.liveness import LivenessProbe
from .api.middleware.request_context import RequestContextMiddleware
from .api.middleware.security import SecurityMiddleware
from .api.middleware.telemetry import TelemetryMiddleware
from .api.ports import ApiDependencies
from .api.problems import EVERY_ROUTE_STATUSES, install_problem_handlers, problem_docs
from .api.rate_limits import RATE_LIMIT_HEADERS
from .api.routers import (
    audit,
    auth,
    auth_sessions,
    health,
{%- if cookiecutter.include_example_domain == "y" %}
    items,
{%- endif %}
    jobs,
    metrics,
    passwords,
    privacy,
    service_clients,
    users,
)
from .domain.auth.login_throttle import LoginThrottle, LoginThrottlePolicy
from .domain.auth.service import SessionPolicy
from .domain.idempotency import IdempotencyPolicy
from .domain.rate_limits import RateLimitPolicy, WindowCounter
from .domain.users.passwords import PasswordPolicy
from .domain.users.service import UserService
from .infrastructure.cache.caches import create_caches
from .infrastructure.database.availability import database_unavailable
from .infrastructure.database.engine import create_engine, create_session_factories
from .infrastructure.database.health import DatabaseHealthCheck
from .infrastructure.database.pool_metrics import sample_pool_periodically
from .infrastructure.database.scrape_metrics import DatabaseMetrics
from .infrastructure.database.unit_of_work import SqlUnitOfWork
from .infrastructure.queue.celery_app import create_celery
from .infrastructure.queue.health import BrokerHealthCheck
from .infrastructure.queue.relay import OutboxRelay, stop_relay
from .infrastructure.redis.client import connect_redis
from .infrastructure.redis.guard import RedisGuard
from .infrastructure.redis.health import RedisHealthCheck
from .infrastructure.security.access_tokens import JwtAccessTokens
from .infrastructure.security.password_hasher import Argon2PasswordHasher
from .infrastructure.security.password_strength import ZxcvbnPasswordStrength
from .infrastructure.security.provider_tokens import create_provider_tokens
from .infrastructure.telemetry.exposition import MetricsExposition, mark_this_process_dead
from .infrastructure.telemetry.health_metrics import observed
from .infrastructure.telemetry.metrics import observe_http_request
from .infrastructure.telemetry.tracing import configure_tracing, flush_tracing, request_tracer
from .shared.logging import configure_logging
from .shared.runtime import freeze_startup_objects
from .shared.settings import Environment, Settings, load_settings

# Swagger UI, ReDoc, and the page Swagger UI's OAuth2 sign-in returns to (FastAPI's default).
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    configure_tracing(__version__, settings.environment.value)
    engine = create_engine(settings)
    sessions = create_session_factories(engine)
    redis = connect_redis(settings)
    caches = create_caches(settings, engine, redis)
    celery = create_celery(settings)  # to publish: the worker runs the tasks
    relay = OutboxRelay(
        sessions.transactional,
        celery,
        poll_seconds=settings.outbox_poll_seconds,
        batch_size=settings.outbox_batch_size,
    )
    exposition = MetricsExposition(DatabaseMetrics(engine).collect)
    access_tokens = JwtAccessTokens.from_settings(settings)
    provider_tokens = create_provider_tokens(settings, access_tokens.header)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Not in tests: they start an app per test, and freezing would keep every earlier
        # test's garbage for good.
        if settings.environment is not Environment.TEST:
            freeze_startup_objects()
        relaying = asyncio.create_task(relay.run(), name="outbox-relay")
        background = []
        if exposition.is_multiprocess:  # a scrape reads the other processes' pools from files
            background.append(asyncio.create_task(sample_pool_periodically(engine)))
        yield
        await stop_relay(relay, relaying)
        for task in background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        mark_this_process_dead()
        await engine.dispose()
        if redis is not None:
            await redis.client.aclose()
        if provider_tokens is not None:
            await provider_tokens.aclose()
        flush_tracing()

    # Off in production unless DOCS_ENABLED: the document maps every endpoint for a scanner.
    # Served, /docs and /redoc load Swagger UI and ReDoc from this service (FastAPIOffline), not
    # a CDN, so the pages work offline and under a same-origin Content-Security-Policy.
    docs = settings.serves_api_docs
    app = (FastAPIOffline if docs else FastAPI)(
        title="{{ cookiecutter.project_name }}",
        description="{{ cookiecutter.description }}",
        version=__version__,
        debug=settings.debug,
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url=DOCS_PATHS[0] if docs else None,
        redoc_url=DOCS_PATHS[1] if docs else None,
        responses=problem_docs(*EVERY_ROUTE_STATUSES),
        # Paths are exact: `/api/v1/users/` is a 404, never a redirect to `/api/v1/users`.
        redirect_slashes=False,
        # FastAPI's own OpenTelemetry support would start once a tracer provider is set: a
        # second server span, and spans for the dependencies, the endpoint and the
        # serialization (6 spans per cached read instead of 2). TelemetryMiddleware traces
        # each request once and counts it for Prometheus in the same pass (`make
        # bench-telemetry` measures both).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # Swagger UI would send the OpenAPI document's address to validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.state.settings = settings
    app.state.dependencies = ApiDependencies(
        # A commit that wrote outbox messages wakes the relay: no wait for its next poll.
        unit_of_work=lambda: SqlUnitOfWork(sessions, on_outbox_commit=relay.wake),
        request_reads=caches.for_request,
        health_checks=observed(
            [DatabaseHealthCheck(engine), RedisHealthCheck(redis), BrokerHealthCheck(celery)]
        ),
        access_tokens=access_tokens,
        provider_tokens=provider_tokens,
        password_hasher=Argon2PasswordHasher.from_settings(settings),
        login_throttle=create_login_throttle(settings, caches.counter),
        rate_limit=create_rate_limit(settings),
        session_policy=SessionPolicy(
            refresh_token_ttl_seconds=settings.refresh_token_ttl_seconds,
            reuse_grace_seconds=settings.refresh_reuse_grace_seconds,
        ),
        idempotency=IdempotencyPolicy(ttl_seconds=settings.idempotency_key_ttl_seconds),
        metrics=exposition,
        password_strength=ZxcvbnPasswordStrength(),
        reset_throttle=create_login_throttle(
            settings, caches.counter, scope="password-reset", attempts="password reset attempts"
        ),
    )
    install_problem_handlers(app)
    # The busiest router first, since FastAPI tries routes in order (a measured tip:
    # docs/adr/0005-measured-tuning.md). The liveness probe never gets here: LivenessProbe
    # answers it before routing.
{%- if cookiecutter.include_example_domain == "y" %}
    app.include_router(items.router)
{%- endif %}
    app.include_router(users.router)
    app.include_router(health.router)
    app.include_router(privacy.router)
    app.include_router(jobs.router)
    app.include_router(auth.router)
    app.include_router(auth_sessions.router)
    app.include_router(passwords.router)
    app.include_router(audit.router)
    app.include_router(service_clients.router)
    app.include_router(metrics.router)  # last: tried only by requests no other route matched
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=[
                "Location",
                "X-Request-ID",
                "Retry-After",
                "Idempotent-Replayed",
                *RATE_LIMIT_HEADERS,
            ],
        )
    # Inside out: the deadline and the 500s; the security headers and the body limit, on
    # those answers too; the server span and HTTP metrics, which see every status; the liveness
    # probe, which answers before them (a probe every few seconds would drown the traffic they
    # describe); outermost the request context, so that every answer carries an X-Request-ID.
    app.add_middleware(
        ErrorBoundary,
        timeout_seconds=settings.request_timeout_seconds,
        unavailable=database_unavailable,
    )
    app.add_middleware(
        SecurityMiddleware,
        max_body_bytes=settings.max_body_bytes,
        hsts_seconds=settings.hsts_seconds,
        docs_paths=DOCS_PATHS if docs else (),
    )
    app.add_middleware(
        TelemetryMiddleware, tracer=request_tracer(), record_request=observe_http_request
    )
    app.add_middleware(LivenessProbe)
    app.add_middleware(RequestContextMiddleware)
    return app


def create_rate_limit(settings: Settings) -> RateLimitPolicy | None:
    if settings.rate_limit_per_minute == 0:
        return None  # switched off
    return RateLimitPolicy(limit=settings.rate_limit_per_minute, window_seconds=60)


def create_login_throttle(
    settings: Settings,
    counter: WindowCounter,
    *,
    scope: str = "login",
    attempts: str = "failed sign-ins",
) -> LoginThrottle:
    policy = LoginThrottlePolicy(
        max_failures_per_account=settings.login_max_failures_per_account,
        max_failures_per_client=settings.login_max_failures_per_client,
        window_seconds=settings.login_failure_window_seconds,
        scope=scope,
        attempts=attempts,
    )
    return LoginThrottle(counter, policy)


def create_user_service(
    settings: Settings, engine: AsyncEngine, redis: RedisGuard | None
) -> UserService:
    """User administration outside a request (`create-admin`), wired as the API wires it."""
    caches = create_caches(settings, engine, redis)
    return UserService(
        SqlUnitOfWork(create_session_factories(engine)),
        Argon2PasswordHasher.from_settings(settings),
        caches.access_states,
        caches.profiles,
        PasswordPolicy(ZxcvbnPasswordStrength()),
    )
