"""Answers for the app when it cannot: past the request deadline (504), or on an unexpected
exception (500), as a problem, logged once.

Starlette's own 500 handler re-raises after answering, so the server logged the error a second
time and closed the connection; here the exception stops, and the connection stays open. The
deadline (`REQUEST_TIMEOUT_SECONDS`) cancels the request's task: whatever it awaited (a query, a
Redis call) is cancelled with it. Work in a thread (a sync endpoint) cannot be cancelled, and
finishes after the 504.
"""

import asyncio

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...shared.logging import get_logger
from .problem_messages import send_problem

logger = get_logger(__name__)

DEADLINE_DETAIL = "The request took longer than the service allows; it was cancelled."
UNEXPECTED_DETAIL = "An unexpected error occurred."


class ErrorBoundary:
    def __init__(self, app: ASGIApp, *, timeout_seconds: float) -> None:
        self.app = app
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_tracking_start(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        deadline = asyncio.timeout(self.timeout_seconds)
        try:
            async with deadline:
                await self.app(scope, receive, send_tracking_start)
        except Exception as error:
            trace.get_current_span().record_exception(error)
            where = {"path": scope["path"], "method": scope["method"]}
            if deadline.expired():
                logger.warning("request deadline passed", **where, seconds=self.timeout_seconds)
                status, detail = 504, DEADLINE_DETAIL
            else:
                logger.exception("unhandled error", **where)
                status, detail = 500, UNEXPECTED_DETAIL
            # Once the response has started, its status is sent: the server ends the
            # connection when the app returns without finishing it.
            if not response_started:
                await send_problem(send, scope, status, detail)
