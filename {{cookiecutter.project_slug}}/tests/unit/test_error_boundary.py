"""ErrorBoundary's edges, on a bare ASGI app: cancellations that are not its own pass through,
a response already started is never started twice, and no watcher outlives the traffic."""

import asyncio

import pytest
from starlette.types import Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.api.middleware.error_boundary import ErrorBoundary

SCOPE = {"type": "http", "method": "GET", "path": "/x", "headers": []}


async def receive() -> Message:
    return {"type": "http.request", "body": b""}


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def statuses(self) -> list[int]:
        return [m["status"] for m in self.messages if m["type"] == "http.response.start"]


async def test_a_cancellation_that_is_not_the_deadline_passes_through() -> None:
    async def app(_scope: Scope, _receive: Receive, _send: Send) -> None:
        await asyncio.sleep(5)

    boundary = ErrorBoundary(app, timeout_seconds=5)
    request = asyncio.create_task(boundary(SCOPE, receive, Recorder()))
    await asyncio.sleep(0.01)
    request.cancel()  # the client went away, say

    with pytest.raises(asyncio.CancelledError):
        await request


async def test_an_error_after_the_response_started_sends_no_second_start() -> None:
    async def app(_scope: Scope, _receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("mid-stream")

    sent = Recorder()
    await ErrorBoundary(app, timeout_seconds=5)(SCOPE, receive, sent)

    assert sent.statuses == [200]


async def test_the_deadline_answers_504_and_the_watcher_stops_when_idle() -> None:
    async def app(_scope: Scope, _receive: Receive, _send: Send) -> None:
        await asyncio.sleep(5)

    boundary = ErrorBoundary(app, timeout_seconds=0.05)
    sent = Recorder()
    await boundary(SCOPE, receive, sent)
    await asyncio.sleep(0.1)  # one more tick: the watcher sees no request left

    assert sent.statuses == [504]
    assert boundary._watcher is None
    assert not any(task.get_name() == "request-deadlines" for task in asyncio.all_tasks())


async def test_a_dependency_it_is_told_is_unavailable_is_a_503_with_retry_after() -> None:
    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        raise ConnectionRefusedError() if scope["path"] == "/x" else RuntimeError("a bug")

    boundary = ErrorBoundary(
        app, timeout_seconds=5, unavailable=lambda error: isinstance(error, ConnectionRefusedError)
    )
    refused, bug = Recorder(), Recorder()
    await boundary(SCOPE, receive, refused)
    await boundary({**SCOPE, "path": "/y"}, receive, bug)

    assert refused.statuses == [503]
    assert (b"retry-after", b"5") in refused.messages[0]["headers"]
    assert bug.statuses == [500]  # anything else is still the unexpected error it was
    assert not any(name == b"retry-after" for name, _ in bug.messages[0]["headers"])
