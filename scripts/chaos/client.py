"""The load's HTTP client (the standard library's, one keep-alive connection per thread) and
the record of every request: its phase, what it was, its status, how long it waited."""

import http.client
import json
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

# Past this a request counts as hung; the invariant's bound is lower (`Recorder.bound`).
SOCKET_TIMEOUT_SECONDS = 12.0


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    body: Any
    headers: dict[str, str]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class PhaseRecord:
    started: float
    ended: float | None = None
    by_status: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0


class Recorder:
    """Thread-safe tallies per phase, and every request that waited longer than `bound`."""

    def __init__(self, bound: float, max_requests: int) -> None:
        self.bound = bound
        self.max_requests = max_requests
        self.sent = 0
        self.phase = "start-up"
        self.phases: dict[str, PhaseRecord] = {}
        self.over_bound: list[tuple[str, str, float, str]] = []
        self.kinds: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._lock = threading.Lock()

    def enter(self, phase: str) -> None:
        now = time.monotonic()
        with self._lock:
            if self.phase in self.phases:
                self.phases[self.phase].ended = now
            self.phase = phase
            self.phases[phase] = PhaseRecord(started=now)

    def record(self, phase: str, kind: str, answer: Answer, waited: float) -> None:
        label = str(answer.status) if answer.status is not None else "no answer"
        with self._lock:
            self.sent += 1
            tally = self.phases.setdefault(phase, PhaseRecord(started=time.monotonic()))
            tally.by_status[label] += 1
            tally.slowest = max(tally.slowest, waited)
            self.kinds[kind][label] += 1
            if waited > self.bound:
                self.over_bound.append((phase, kind, waited, answer.error or label))

    @property
    def exhausted(self) -> bool:
        """Whether the run's request budget is spent: the load stops, whatever the phase."""
        return self.sent >= self.max_requests


class Client:
    """One thread's connection to the API. Never raises for the network: it answers `None`."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self._port = port
        self.recorder = recorder
        self._connection: http.client.HTTPConnection | None = None
        self.token: str | None = None

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
    ) -> Answer:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload: bytes | None = None
        if json_body is not None:
            payload = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            payload = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        phase = self.recorder.phase  # the phase the request was sent in
        began = time.monotonic()
        answer = self._send(method, path, payload, headers)
        self.recorder.record(phase, kind, answer, time.monotonic() - began)
        return answer

    def _send(
        self, method: str, path: str, payload: bytes | None, headers: dict[str, str]
    ) -> Answer:
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self._port, timeout=SOCKET_TIMEOUT_SECONDS
                )
            self._connection.request(method, path, body=payload, headers=headers)
            response = self._connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()  # a fresh connection next time: this one's state is unknown
            return Answer(None, None, {}, error=type(error).__name__)
        body = json.loads(raw) if raw and "json" in response.getheader("content-type", "") else None
        return Answer(response.status, body, dict(response.getheaders()))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
