"""The invariants, checked against what the load recorded and what the database holds."""

from dataclasses import dataclass

from .client import Recorder
from .ledger import FINAL, JobLedger
from .load import Findings, JobSubmitter, Writer, seq_of


@dataclass(frozen=True)
class Verdict:
    name: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def item_writes_kept(writers: list[Writer], ledger: JobLedger) -> Verdict:
    stored = ledger.item_names()
    problems = []
    for writer in writers:
        for item_id, state in writer.items.items():
            if item_id not in stored:
                problems.append(f"item {item_id}: created (2xx) but not in the database")
                continue
            held = seq_of(stored[item_id])
            if held not in state.attempted or held < state.floor:
                problems.append(f"item {item_id}: holds write {held}, acknowledged {state.floor}")
    count = sum(len(writer.items) for writer in writers)
    return Verdict(f"every 2xx item write is in the database ({count} items)", problems)


def no_stale_reads(findings: Findings) -> Verdict:
    return Verdict("no read showed a value older than an acknowledged write", findings.problems)


def jobs_final_once(submitter: JobSubmitter, ledger: JobLedger) -> Verdict:
    statuses, outcomes = ledger.statuses(), ledger.outcome_counts()
    problems = []
    for job_id in submitter.accepted:
        status = statuses.get(job_id)
        if status not in FINAL:
            problems.append(f"job {job_id}: accepted (202), now {status}")
    for job_id, status in statuses.items():  # those whose 202 was lost too
        if outcomes.get(job_id, 0) != (1 if status in FINAL else 0):
            problems.append(f"job {job_id}: {status}, final {outcomes.get(job_id, 0)} times")
    failed = sum(1 for status in statuses.values() if status == "failed")
    name = (
        f"every accepted job reached a final state exactly once "
        f"({len(submitter.accepted)} accepted, {failed} failed)"
    )
    return Verdict(name, problems)


def within_bound(recorder: Recorder) -> Verdict:
    problems = [
        f"{kind} in '{phase}' waited {waited:.2f}s ({outcome})"
        for phase, kind, waited, outcome in recorder.over_bound
    ]
    return Verdict(f"no request waited longer than {recorder.bound:g}s", problems)


def processes_up(running: list[str]) -> Verdict:
    missing = [name for name in ("api", "worker") if name not in running]
    return Verdict("the API and the worker are still running", [f"{m} exited" for m in missing])
