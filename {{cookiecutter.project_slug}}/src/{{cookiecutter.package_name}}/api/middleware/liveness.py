"""Answers the liveness probe, `GET /health/live`, before routing and the rest of the stack.

Liveness means "this process is up and its event loop answers": an orchestrator restarts the
process when it fails. So the probe should depend on as little as possible, and it is the most
frequent request a service gets. Answered here it skips routing, dependency solving and the
response model: `make bench` measured F (this probe) at 0.77 of a bare FastAPI app through the
router, and at 1.5 to 2.1 of it here (docs/benchmarks.md). The route in routers/health.py
stays: it documents the probe in OpenAPI and answers other methods with a 405.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

LIVENESS_PATH = "/health/live"
BODY = b'{"status":"pass"}'
HEADERS = ((b"content-type", b"application/health+json"), (b"content-length", b"%d" % len(BODY)))


class LivenessProbe:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == LIVENESS_PATH and scope["method"] == "GET":
            # New messages each time: a layer outside this one may add headers to them.
            await send({"type": "http.response.start", "status": 200, "headers": list(HEADERS)})
            await send({"type": "http.response.body", "body": BODY})
            return
        await self.app(scope, receive, send)
