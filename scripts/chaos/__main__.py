"""The run: bake, start private servers and the service, load it through the failures, check.

Exit status 0 when every invariant held, 1 when one failed, 2 when the run could not be made.
"""

import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from . import checks, report
from .client import Client, Recorder
from .ledger import JobLedger
from .load import PAUSE_SECONDS, Findings, JobSubmitter, SignIns, Writer, run_steps
from .phases import Cluster, drain, run_phases
from .processes import ChaosError
from .servers import PrivatePostgres, PrivateRedis
from .service import (
    ADMIN_EMAIL,
    OUTPUT_DIR,
    REQUEST_TIMEOUT_SECONDS,
    Endpoints,
    Service,
    bake_and_install,
)

# What the client adds to the service's deadline: connecting, sending, reading the answer.
CLIENT_MARGIN_SECONDS = 1.0
DRAIN_SECONDS = 90.0
# Far above what the phases send at this pace (about 5,000): a bound, should the pace change.
MAX_REQUESTS = 20_000
RUN_LIMIT_SECONDS = 900  # the whole run, bake included: past it, it stops and cleans up
USER_EMAIL = "chaos-user@example.com"


def say(line: str) -> None:
    print(line, flush=True)


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGALRM, _stop_on_signal)
    signal.alarm(RUN_LIMIT_SECONDS)
    try:
        # CHAOS_PROJECT: an installed project to run against as it is (say, one changed by
        # hand to see an invariant fail), instead of baking the template's defaults again.
        given = os.environ.get("CHAOS_PROJECT")
        project = Path(given).resolve() if given else bake_and_install()
        say(f"chaos: {project}")
        return run(project)
    except ChaosError as error:
        say(f"chaos: error: {error}")
        return 2


def run(project: Path) -> int:
    recorder = Recorder(REQUEST_TIMEOUT_SECONDS + CLIENT_MARGIN_SECONDS, MAX_REQUESTS)
    with tempfile.TemporaryDirectory(prefix="chaos-") as scratch, ExitStack() as cleanup:
        root = Path(scratch)
        root.chmod(0o755)  # the PostgreSQL server may run as `postgres`: it must get in
        cleanup.callback(_keep_logs, root)
        database, cache, broker = (
            PrivatePostgres(root),
            PrivateRedis(root, "cache"),
            PrivateRedis(root, "broker"),
        )
        cleanup.callback(database.destroy)
        database.create()
        for redis in (cache, broker):
            cleanup.callback(redis.stop)
            redis.start()
        say(f"chaos: PostgreSQL :{database.port}, Redis cache :{cache.port}, broker :{broker.port}")
        workdir = root / "service"
        workdir.mkdir()
        service = Service(project, workdir, Endpoints(database.url, cache.url, broker.url))
        cleanup.callback(service.stop)
        service.prepare()
        ledger = JobLedger(database)
        ledger.install()
        service.start_api()
        service.start_worker()
        say(f"chaos: API :{service.port} and worker up; load for about 2 minutes")
        cluster = Cluster(database, cache, broker, service, ledger)
        return load_and_check(cluster, recorder)


def load_and_check(cluster: Cluster, recorder: Recorder) -> int:
    port, findings = cluster.service.port, Findings()
    user_password = secrets.token_urlsafe(18)
    admin = signed_in(Client(port, recorder), ADMIN_EMAIL, cluster.service.admin_password)
    user = Client(port, recorder)
    registered = user.call(
        "register",
        "POST",
        "/api/v1/auth/register",
        json_body={"email": USER_EMAIL, "password": user_password},
    )
    if registered.status != 201:
        raise ChaosError(f"registering the load's user: {registered.status} {registered.body}")
    signed_in(user, USER_EMAIL, user_password)
    writers = [Writer(admin, "admin", findings, 1), Writer(user, "user", findings, 2)]
    jobs = JobSubmitter(_with_token(Client(port, recorder), user))
    stop = threading.Event()
    sign_ins = SignIns(Client(port, recorder), USER_EMAIL, user_password)
    steps: list[tuple[Writer | JobSubmitter | SignIns, str]] = [
        (writers[0], "writer"),
        (writers[1], "writer"),
        (jobs, "jobs"),
        (sign_ins, "sign-ins"),
    ]
    threads = [run_steps(step, PAUSE_SECONDS[pause], stop, findings) for step, pause in steps]
    try:
        run_phases(cluster, recorder, say)
    finally:
        stop.set()
        for thread in threads:
            thread.join(2 * recorder.bound)
    recorder.enter("drain (no load)")
    drained = drain(cluster, DRAIN_SECONDS, say)
    recorder.enter("end")
    verdicts = [
        checks.item_writes_kept(writers, cluster.ledger),
        checks.no_stale_reads(findings),
        checks.jobs_final_once(jobs, cluster.ledger),
        checks.within_bound(recorder),
        checks.processes_up(cluster.service.running()),
    ]
    if not drained:
        verdicts.append(checks.Verdict("the jobs drained", [f"not within {DRAIN_SECONDS:g}s"]))
    say("\n" + report.phase_table(recorder) + "\n\n" + report.kind_table(recorder) + "\n")
    say("A request counts in the phase it was sent in; the cache and the broker are two Redis.")
    say(
        f"bound: REQUEST_TIMEOUT_SECONDS {REQUEST_TIMEOUT_SECONDS:g}s + client margin "
        f"{CLIENT_MARGIN_SECONDS:g}s\n" + report.verdict_lines(verdicts)
    )
    return 0 if all(verdict.passed for verdict in verdicts) else 1


def signed_in(client: Client, email: str, password: str) -> Client:
    form = {"username": email, "password": password}
    answer = client.call("sign-in", "POST", "/api/v1/auth/token", form=form)
    if answer.status != 200:
        raise ChaosError(f"signing in {email}: {answer.status} {answer.body}")
    client.token = answer.body["access_token"]
    return client


def _with_token(client: Client, signed: Client) -> Client:
    client.token = signed.token
    return client


def _keep_logs(root: Path) -> None:
    """The servers' and the service's logs, kept in build/chaos/logs for a failed run."""
    logs = OUTPUT_DIR / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    for log in root.rglob("*.log"):
        target = logs / log.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, target)


def _stop_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the clean-up, like Ctrl-C does


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    say(f"chaos: {time.monotonic() - started:.0f}s, exit {status}")
    sys.exit(status)
