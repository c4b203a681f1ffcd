"""The worker's metrics page: an HTTP endpoint in the Celery main process.

Tasks run in the pool's children, so the page is served by the parent, which runs none: under
the prefork pool it sums every child's files (multiprocess mode, set up by `worker` in cli.py);
under the solo pool (embedded mode) it is the one process's registry.
"""

from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server

from ...shared.logging import get_logger
from .exposition import MetricsExposition

logger = get_logger(__name__)


def serve_worker_metrics(host: str, port: int) -> WSGIServer | None:
    """In a daemon thread; port 0 means no endpoint. A taken port stops the worker: a worker
    whose metrics nobody can read would look idle to every dashboard."""
    if port == 0:
        return None
    exposition = MetricsExposition()
    server, _thread = start_http_server(port, host, registry=exposition.collector())
    mode = "multiprocess" if exposition.is_multiprocess else "single process"
    logger.info("worker metrics served", url=f"http://{host}:{port}/metrics", mode=mode)
    return server
