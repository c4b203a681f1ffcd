"""An unexpected exception is one 500 problem, logged once with its trace id, on a connection
that stays open: checked over a real uvicorn server, which is what logged and closed before."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..redis_server import free_port
from ..waiting import eventually
from .auth import app_with

REQUEST = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[int]:
    port = free_port()
    # As `serve` runs it: no access log, the app's own logging.
    config = uvicorn.Config(
        app, port=port, log_config=None, access_log=False, lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool | None:
        return server.started or None

    await eventually(started, "uvicorn's start")
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
    body = await reader.readexactly(int(headers["content-length"]))
    return int(lines[0].split()[1]), body


async def test_a_500_is_logged_once_and_the_connection_stays_open(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    async with app_with(settings) as app:

        @app.get("/boom")
        async def boom() -> None:
            raise RuntimeError("the secret is hunter2")

        async with served(app) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(REQUEST % b"/boom")
            status, body = await read_response(reader)
            writer.write(REQUEST % b"/health/live")  # the same connection, again
            second_status, _ = await read_response(reader)
            writer.close()

    problem = json.loads(body)
    logs = capsys.readouterr().out
    assert (status, second_status) == (500, 200)
    assert problem["detail"] == "An unexpected error occurred."
    assert "hunter2" not in body.decode()
    lines = [json.loads(line) for line in logs.splitlines() if problem["trace_id"] in line]
    assert [line["message"] for line in lines] == ["unhandled error"]
    assert "hunter2" in lines[0]["exception"]  # the trace is in the log, not in the answer
    assert "Exception in ASGI application" not in logs
