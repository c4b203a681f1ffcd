"""Answers for the app when it cannot: past the request deadline (504), with a dependency
unreachable (503, `Retry-After`), or on an unexpected exception (500), as a problem, logged once.

Starlette's own 500 handler re-raises after answering, so the server logged the error a second
time and closed the connection; here the exception stops, and the connection stays open. The
deadline (`REQUEST_TIMEOUT_SECONDS`) cancels the request's task: whatever it awaited (a query, a
Redis call) is cancelled with it. Work in a thread (a sync endpoint) cannot be cancelled, and
finishes after the 504.
"""

import asyncio
from collections.abc import Callable
from time import monotonic

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...shared.logging import get_logger
from .problem_messages import send_problem

logger = get_logger(__name__)

DEADLINE_DETAIL = "The request took longer than the service allows; it was cancelled."
UNEXPECTED_DETAIL = "An unexpected error occurred."
UNAVAILABLE_DETAIL = "A service this one depends on is unavailable; try again shortly."
# About what a database restart or failover takes; clients retry after it, with jitter.
UNAVAILABLE_RETRY_AFTER_SECONDS = 5


class ErrorBoundary:
    """One watcher task cancels the requests past their deadline, a few times a second, instead
    of a timer per request: `asyncio.timeout` cost a cached read about 15 µs of CPU (timer
    handles pile up in the event loop's heap), a dictionary entry costs well under one."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        timeout_seconds: float,
        unavailable: Callable[[Exception], bool] = lambda _error: False,
    ) -> None:
        self.app = app
        self.timeout_seconds = timeout_seconds
        # Whether an error means a dependency cannot be reached now (main.py passes the
        # database's test): a 503 the caller may retry, logged without its traceback.
        self._unavailable = unavailable
        self._tick_seconds = min(0.1, timeout_seconds / 4)  # how late a deadline may be noticed
        self._deadlines: dict[asyncio.Task[object], float] = {}
        self._expired: set[asyncio.Task[object]] = set()
        self._watcher: asyncio.Task[None] | None = None

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

        task: asyncio.Task[object] = asyncio.current_task()  # type: ignore[assignment]
        self._deadlines[task] = monotonic() + self.timeout_seconds
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._cancel_expired(), name="request-deadlines")
        try:
            await self.app(scope, receive, send_tracking_start)
        except asyncio.CancelledError:
            if task not in self._expired:
                raise  # not ours: the server is stopping, or the client went away
            task.uncancel()
            status, detail = self._answer_deadline(scope)
        except Exception as error:
            trace.get_current_span().record_exception(error)
            if task in self._expired:  # the app turned the cancellation into an error
                status, detail = self._answer_deadline(scope)
            elif self._unavailable(error):
                # One line per request, no traceback: during an outage the traceback says
                # nothing new, and hundreds of them a second would bury the rest of the log.
                logger.warning(
                    "dependency unavailable",
                    path=scope["path"],
                    method=scope["method"],
                    error=type(error).__name__,
                )
                status, detail = 503, UNAVAILABLE_DETAIL
            else:
                logger.exception("unhandled error", path=scope["path"], method=scope["method"])
                status, detail = 500, UNEXPECTED_DETAIL
        else:
            return
        finally:
            del self._deadlines[task]
            self._expired.discard(task)
        # Once the response has started, its status is sent: the server ends the connection
        # when the app returns without finishing it.
        if not response_started:
            retry_after = UNAVAILABLE_RETRY_AFTER_SECONDS if status == 503 else None
            await send_problem(send, scope, status, detail, retry_after_seconds=retry_after)

    def _answer_deadline(self, scope: Scope) -> tuple[int, str]:
        seconds = self.timeout_seconds
        logger.warning(
            "request deadline passed", path=scope["path"], method=scope["method"], seconds=seconds
        )
        return 504, DEADLINE_DETAIL

    async def _cancel_expired(self) -> None:
        """Runs while requests are in flight; a new request starts it again."""
        try:
            while self._deadlines:
                await asyncio.sleep(self._tick_seconds)
                now = monotonic()
                for task, deadline in list(self._deadlines.items()):
                    if deadline <= now and task not in self._expired:
                        self._expired.add(task)
                        task.cancel()
        finally:
            self._watcher = None
