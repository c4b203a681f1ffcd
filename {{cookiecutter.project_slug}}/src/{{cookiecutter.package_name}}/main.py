"""The composition root: `create_app()` is the one place where the layers meet.

The API knows ports; infrastructure knows adapters; only this module knows which adapter
implements which port in this process.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from . import __version__
from .api.deps import ApiDependencies
from .api.middleware.request_context import RequestContextMiddleware
from .api.problems import install_problem_handlers
from .api.routers import health{% if cookiecutter.include_example_domain == "y" %}, items{% endif %}
from .infrastructure.database.engine import create_engine, create_session_factory
from .infrastructure.database.health import DatabaseHealthCheck
from .infrastructure.database.unit_of_work import SqlUnitOfWork
from .infrastructure.telemetry.tracing import instrument_app
from .shared.logging import configure_logging
from .shared.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    engine = create_engine(settings)
    session_factory = create_session_factory(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(
        title="{{ cookiecutter.project_name }}",
        description="{{ cookiecutter.description }}",
        version=__version__,
        debug=settings.debug,
        lifespan=lifespan,
        # Paths are exact: `/api/v1/items/` is a 404, never a redirect to `/api/v1/items`.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.dependencies = ApiDependencies(
        unit_of_work=lambda: SqlUnitOfWork(session_factory),
        health_checks=[DatabaseHealthCheck(engine)],
    )
    install_problem_handlers(app)
    app.include_router(health.router)
{%- if cookiecutter.include_example_domain == "y" %}
    app.include_router(items.router)
{%- endif %}
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Location", "X-Request-ID", "Retry-After"],
        )
    app.add_middleware(RequestContextMiddleware)
    instrument_app(app)
    return app
