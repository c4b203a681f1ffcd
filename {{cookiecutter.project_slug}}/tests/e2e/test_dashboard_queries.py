"""The dashboard and the alert rules in deploy/ query only what the service exposes: every
metric and label in their PromQL is read from the API's `/metrics` and a real worker's, after a
request of each kind and a job (SPEC section 7). A renamed metric fails here, not on a dashboard
that quietly shows nothing."""

from collections import defaultdict
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..promql import Catalog, unknown_references
from ..redis_server import free_port
from ..worker_process import WorkerProcess
from .test_jobs_api import JOBS, create_job, finished

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ME = "/api/v1/users/me"
# Server mode: the breaker and the cache's metrics exist only with Redis.
server_mode_only = pytest.mark.parametrize("run_mode", ["server"], indirect=True)


def exposed(*expositions: str) -> Catalog:
    """Each sample's name and label names. Values are left open: a label value that no request
    of this test produced (a cache `error`) may still be exposed in production."""
    labels: defaultdict[str, dict[str, frozenset[str] | None]] = defaultdict(dict)
    for text in expositions:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels[sample.name].update(dict.fromkeys(sample.labels))
    return labels


async def send_a_request_of_each_kind(client: httpx.AsyncClient, user: httpx.AsyncClient) -> None:
    assert (await client.get("/health/ready")).status_code == 200
    assert (await client.get(ME)).status_code == 401
    for _ in range(2):  # a cache miss and fill, then a hit
        assert (await user.get(ME)).status_code == 200
    assert (await user.get(f"{JOBS}/{uuid4()}")).status_code == 404


@server_mode_only
async def test_every_query_in_deploy_names_exposed_metrics_and_labels(
    client: httpx.AsyncClient, user_client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    worker = WorkerProcess(
        settings, tmp_path, {"worker_metrics_host": "127.0.0.1", "worker_metrics_port": port}
    )
    worker.start()
    try:
        await send_a_request_of_each_kind(client, user_client)
        job = await create_job(user_client)
        assert (await finished(user_client, job["id"], worker))["status"] == "succeeded"
        api = await client.get("/metrics")
        async with httpx.AsyncClient() as scraper:
            workers = await scraper.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        worker.stop()

    assert api.status_code == 200, api.text
    assert workers.status_code == 200, workers.text
    assert unknown_references(DEPLOY, exposed(api.text, workers.text)) == []
