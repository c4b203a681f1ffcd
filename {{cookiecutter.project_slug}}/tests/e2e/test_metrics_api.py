"""`GET /metrics` in one process: the page Prometheus scrapes, in either format, with the
metrics of SPEC section 7 following what the service does."""

from pathlib import Path
from uuid import uuid4

import httpx
from fastapi import FastAPI
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..metrics import scraped, total
from .auth import app_with

OPENMETRICS = "application/openmetrics-text; version=1.0.0"
METRIC_NAMES = {
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "http_request_duration_seconds_sum",
    "http_request_duration_seconds_count",
    "db_pool_size",
    "db_pool_connections_in_use",
    "db_pool_connections_overflow",
    "db_pool_waits_total",
    "outbox_pending_messages",
    "outbox_oldest_pending_age_seconds",
    "health_check_up",
}


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


async def test_the_page_holds_the_service_metrics(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await client.get("/health/ready")

    page = await scrape(client)

    names = {name for name, _ in scraped(page)}
    assert names >= METRIC_NAMES
    assert total(page, "db_pool_size") >= 1
    assert total(page, "outbox_pending_messages") == 0
    for check in ("database", "cache", "broker"):
        assert total(page, "health_check_up", check=check) == 1
    if settings.redis_url:  # the breaker guards Redis, which only server mode has
        assert total(page, "circuit_breaker_open", dependency="redis") == 0


async def test_route_labels_are_templates_never_raw_paths(client: httpx.AsyncClient) -> None:
    job_id, route = str(uuid4()), "/api/v1/jobs/{job_id}"
    before = total(await scrape(client), "http_requests_total", route=route, status="401")

    assert (await client.get(f"/api/v1/jobs/{job_id}")).status_code == 401

    page = await scrape(client)
    assert total(page, "http_requests_total", route=route, status="401") == before + 1
    assert job_id not in page


async def test_openmetrics_when_the_scraper_asks_with_trace_id_exemplars(
    client: httpx.AsyncClient,
) -> None:
    trace_id = uuid4().hex
    traceparent = f"00-{trace_id}-{uuid4().hex[:16]}-01"
    await client.get(f"/api/v1/jobs/{uuid4()}", headers={"traceparent": traceparent})

    response = await client.get("/metrics", headers={"accept": OPENMETRICS})

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
    exemplars = [
        sample.exemplar.labels["trace_id"]
        for family in openmetrics_families(response.text)
        if family.name == "http_request_duration_seconds"
        for sample in family.samples
        if sample.name.endswith("_bucket") and sample.exemplar is not None
    ]
    assert trace_id in exemplars


async def test_without_a_database_the_page_answers_without_the_outbox(
    settings: Settings, tmp_path: Path
) -> None:
    # A database file with no tables: the backlog query fails, as it would on an outage.
    missing_schema = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    async with app_with(settings, database_url=missing_schema) as app, _client(app) as client:
        page = await scrape(client)

    names = {name for name, _ in scraped(page)}
    assert "outbox_pending_messages" not in names
    assert "outbox_oldest_pending_age_seconds" not in names
    assert "db_pool_size" in names  # the rest of the page still goes out


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
