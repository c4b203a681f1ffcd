"""The steady load: item writers that read back what they wrote, a job submitter and sign-ins.

Each writer owns its items and writes them one request at a time, every write a new name
(`<writer>-<seq>`), so a read tells exactly which write it saw. A read is *stale* when it
shows a value older than one already acknowledged, or already seen, for that item (reads only
ever see committed data, so a value once seen was committed).
"""

import random
import threading
from dataclasses import dataclass, field

from .client import Client

PAUSE_SECONDS = {"writer": 0.05, "jobs": 0.3, "sign-ins": 1.0}
ITEMS_PER_WRITER = 4
JOB_KIND = "items_report"


@dataclass
class ItemState:
    floor: int  # the newest write acknowledged or seen: no later read may show an older one
    attempted: set[int] = field(default_factory=set)  # every write sent, answered or not


@dataclass
class Findings:
    """What the load saw go wrong, in words, for the report; shared by the threads."""

    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, problem: str) -> None:
        with self.lock:
            self.problems.append(problem)


def seq_of(name: str) -> int:
    return int(name.rsplit("-", 1)[1])


class Writer:
    def __init__(self, client: Client, label: str, findings: Findings, seed: int) -> None:
        self.client = client
        self.label = label
        self.items: dict[str, ItemState] = {}
        self._findings = findings
        self._random = random.Random(seed)  # noqa: S311 - choosing what to load, not secrets
        self._seq = 0

    def step(self) -> None:
        if len(self.items) < ITEMS_PER_WRITER or self._random.random() < 0.1:
            self._create()
        else:
            self._update(self._random.choice(list(self.items)))
        if self.items:  # a cached read of any item: where a stale entry would be served
            self.read(self._random.choice(list(self.items)), "item read")

    def read(self, item_id: str, kind: str) -> None:
        state = self.items[item_id]
        floor = state.floor  # before sending: the read must show this write or a newer one
        answer = self.client.call(kind, "GET", f"/api/v1/items/{item_id}")
        if not answer.ok:
            return
        seen = seq_of(answer.body["name"])
        if seen not in state.attempted:
            self._findings.add(f"item {item_id}: read a value never written ({seen})")
        elif seen < floor:
            self._findings.add(f"item {item_id}: stale read, write {seen} after write {floor}")
        state.floor = max(state.floor, seen)

    def _next_value(self) -> tuple[int, dict[str, str]]:
        self._seq += 1
        price = f"{self._seq // 100}.{self._seq % 100:02d}"
        value = {"name": f"{self.label}-{self._seq}", "price": price}
        return self._seq, value

    def _create(self) -> None:
        seq, value = self._next_value()
        answer = self.client.call("item create", "POST", "/api/v1/items", json_body=value)
        if answer.ok:  # an unanswered create may exist too; nothing is claimed of it
            item_id = answer.body["id"]
            self.items[item_id] = ItemState(floor=seq, attempted={seq})
            self.read(item_id, "item read after write")

    def _update(self, item_id: str) -> None:
        seq, value = self._next_value()
        state = self.items[item_id]
        state.attempted.add(seq)
        answer = self.client.call(
            "item update", "PATCH", f"/api/v1/items/{item_id}", json_body={"name": value["name"]}
        )
        if answer.ok:
            state.floor = max(state.floor, seq)
            self.read(item_id, "item read after write")


class JobSubmitter:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.accepted: list[str] = []

    def step(self) -> None:
        body = {"kind": JOB_KIND}
        answer = self.client.call("job create", "POST", "/api/v1/jobs", json_body=body)
        if answer.status == 202:
            self.accepted.append(answer.body["id"])


class SignIns:
    def __init__(self, client: Client, email: str, password: str) -> None:
        self.client = client
        self._form = {"username": email, "password": password}

    def step(self) -> None:
        self.client.call("sign-in", "POST", "/api/v1/auth/token", form=self._form)


def run_steps(
    step: "Writer | JobSubmitter | SignIns", pause: float, stop: threading.Event, findings: Findings
) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set() and not step.client.recorder.exhausted:
            try:
                step.step()
            except Exception as error:  # an answer not as documented: a finding, not a crash
                findings.add(f"{type(step).__name__}: {type(error).__name__}: {error}")
            stop.wait(pause)
        step.client.close()

    thread = threading.Thread(target=loop, name=type(step).__name__, daemon=True)
    thread.start()
    return thread
