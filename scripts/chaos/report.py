"""The run's tables: requests and answers per phase, then the invariants."""

import time

from .checks import Verdict
from .client import Recorder

MAX_PROBLEMS_SHOWN = 10


def phase_table(recorder: Recorder) -> str:
    statuses = sorted({label for tally in recorder.phases.values() for label in tally.by_status})
    header = ["phase", "s", "sent", *statuses, "slowest s"]
    lines = [_row(header), _row(["---"] * len(header))]
    now = time.monotonic()
    for name, tally in recorder.phases.items():
        seconds = (tally.ended or now) - tally.started
        counts = [str(tally.by_status.get(label, "")) for label in statuses]
        sent = sum(tally.by_status.values())
        lines.append(_row([name, f"{seconds:.0f}", str(sent), *counts, f"{tally.slowest:.2f}"]))
    return "\n".join(lines)


def kind_table(recorder: Recorder) -> str:
    lines = [_row(["request", "answers"]), _row(["---", "---"])]
    for kind, counts in sorted(recorder.kinds.items()):
        answers = ", ".join(f"{label}: {count}" for label, count in sorted(counts.items()))
        lines.append(_row([kind, answers]))
    return "\n".join(lines)


def verdict_lines(verdicts: list[Verdict]) -> str:
    lines = []
    for verdict in verdicts:
        lines.append(f"{'PASS' if verdict.passed else 'FAIL'}  {verdict.name}")
        for problem in verdict.problems[:MAX_PROBLEMS_SHOWN]:
            lines.append(f"        {problem}")
        if len(verdict.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"        ... and {len(verdict.problems) - MAX_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
