"""A stand-in for another service: an HTTP server on a free loopback port, in a thread, that
answers as the test tells it (fail, hang, recover) and records what it was sent."""

import contextlib
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang_seconds: float = 0.0  # before answering: longer than the client's read timeout, say


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class StubUpstream:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.default = Reply()  # once the scripted replies are spent
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # wakes hanging handlers at the end
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            # Polls for shutdown() every 10 ms, not the default 0.5 s that each stop would wait.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
        )

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def answer(self, *replies: Reply) -> None:
        """The next requests' replies, in order."""
        with self._lock:
            self._script.extend(replies)

    def start(self) -> "StubUpstream":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            return self._script.popleft() if self._script else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one_request(self) -> None:
                # The client may have given up waiting (a timeout under test): nobody to answer.
                with contextlib.suppress(ConnectionError):
                    super().handle_one_request()

            def log_message(self, *_: object) -> None:
                pass  # quiet: the test asserts on `received`

            def _respond(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                headers = {name.lower(): value for name, value in self.headers.items()}
                body = self.rfile.read(length)
                reply = stub._next(Received(self.command, self.path, headers, body))
                if reply.hang_seconds and stub._stopping.wait(reply.hang_seconds):
                    return
                self.send_response(reply.status)
                for name, value in {"Content-Length": "2", **reply.headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b"{}")

            do_GET = do_POST = do_PUT = do_DELETE = _respond  # noqa: N815

        return Handler
