"""Headless Chromium driven over the DevTools protocol, through a pipe: no WebSocket client, no
debugging port, standard library only.

Chromium reads protocol commands from its file descriptor 3 and writes replies and events to 4,
each message a JSON object ended by a NUL byte (`--remote-debugging-pipe`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Chromium's own traffic (updates, sync, safe browsing) is off: the page's is what a test checks.
QUIET_FLAGS = [
    "--headless",
    "--no-sandbox",  # root, in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-pings",
    "--window-size=1280,1400",
]
COMMAND_FD, REPLY_FD = 3, 4


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError(
        "no Chromium on PATH: `make test` installs it (scripts/ensure-chromium.sh)"
    )


class Page:
    """One tab: commands answered in order, events kept for the test to read."""

    def __init__(self, process: subprocess.Popen[bytes], commands: int, replies: int) -> None:
        self._process, self._commands, self._replies = process, commands, replies
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self._session is not None:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def attach(self) -> None:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page, awaited when it is a promise."""
        reply = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in reply:
            raise AssertionError(f"{expression!r}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """Polls until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"not true within {timeout} s: {expression}")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def requested_urls(self) -> list[str]:
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise AssertionError("Chromium did not answer")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise AssertionError("Chromium closed its pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed


@contextmanager
def open_page() -> Iterator[Page]:
    """A fresh headless Chromium with one tab whose network, page and console are observed."""
    to_browser, commands = os.pipe()
    replies, from_browser = os.pipe()

    def give_pipes() -> None:  # in the child, before exec: its fds 3 and 4 are the pipes
        # Each end is first moved above 4, since either may itself be fd 3 or 4.
        reading = fcntl.fcntl(to_browser, fcntl.F_DUPFD, REPLY_FD + 1)
        writing = fcntl.fcntl(from_browser, fcntl.F_DUPFD, REPLY_FD + 1)
        os.dup2(reading, COMMAND_FD)
        os.dup2(writing, REPLY_FD)

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        process = subprocess.Popen(
            [
                find_chromium(),
                *QUIET_FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=give_pipes,  # the test process starts no threads beside it
            pass_fds=(COMMAND_FD, REPLY_FD),  # closed after give_pipes unless kept
        )
        os.close(to_browser)
        os.close(from_browser)
        page = Page(process, commands, replies)
        try:
            page.attach()
            for domain in ("Network", "Page", "Runtime", "Log"):
                page.send(f"{domain}.enable")
            yield page
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            os.close(commands)
            os.close(replies)
