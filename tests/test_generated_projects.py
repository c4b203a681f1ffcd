"""Three baked projects install themselves and pass their own lint and tests (SPEC section 9);
one of them first follows docs/adding-a-resource.md, so that the page is executed, not just read,
and the default one is then served and fuzzed over HTTP (tests/served_fuzz.py).

Slow (minutes each): `pytest -m "not slow"` leaves them out; `make test` runs them, two at a
time (the default bake beside the other two, one after the other: BAKES_ON_WORKERS). Each bake
has its own name, directory and virtualenv, so parallel installs never share files, and its own
Redis database number, so parallel test runs never flush each other's keys.
The servers must be running (`scripts/ensure-services.sh`): a missing one fails, never skips.
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from baking import TEMPLATE_DIR, Bake
from docs_page import assert_docs_page_works_offline
from served_fuzz import assert_served_fuzzing_passes
from walkthrough import PAGE, apply_edits, read_steps, run_commands
from walkthrough_live import assert_tags_answer_over_http

# The signed-in docs page of the default bake, kept for a person to look at.
DOCS_PAGE_SHOT = TEMPLATE_DIR / "build/test-artefacts/docs-page-signed-in.png"
# The served fuzz run's counts (cases, operations, failures, seconds) per caller, and its reports.
SERVED_FUZZING_COUNTS = TEMPLATE_DIR / "build/test-artefacts/served-fuzzing.json"
# Per step; generous because the first `make install` on a machine downloads every wheel, and
# the generated suite (about 5 minutes with coverage on this 2-core machine) runs beside another.
STEP_TIMEOUT_SECONDS = 1800
OUTPUT_TAIL_LINES = 60


@dataclass(frozen=True)
class ServerBake:
    project_name: str
    database: str
    broker: str
    redis_database: int
    # `make test` enforces 90% line coverage. Measured on the default bake, whose suite is the
    # others' plus PostgreSQL with Redis; the others run the same suite without the tracing,
    # which on Python 3.11 doubles its CPU and would put this suite past SPEC 9's 15 minutes.
    measures_coverage: bool = False
    drives_docs_page: bool = False  # in headless Chromium: one bake is enough
    # `schemathesis run` against it served in server mode (tests/served_fuzz.py): one is enough.
    fuzzes_served: bool = False
    # docs/adding-a-resource.md, applied before its lint and tests: one bake is enough, and its
    # suite then covers the resource the page adds.
    applies_walkthrough: bool = False

    def answers(self) -> dict[str, str]:
        return {
            "project_name": self.project_name,
            "database": self.database,
            "broker": self.broker,
        }


SERVER_BAKES = [
    ServerBake(
        "Default Service",
        "postgresql",
        "redis",
        redis_database=1,
        measures_coverage=True,
        drives_docs_page=True,
        fuzzes_served=True,
    ),
    ServerBake(
        "Rabbit Service", "postgresql", "rabbitmq", redis_database=2, applies_walkthrough=True
    ),
    ServerBake("Lite Service", "sqlite", "redis", redis_database=3),
]


# The default bake is the longest (coverage, the docs page, the served fuzz): `make test` starts
# it at once on a worker of its own, and the two others, which together take about as long,
# one after the other on the second worker (tests/conftest.py).
BAKES_ON_WORKERS = [
    pytest.param(
        bake, id=bake.project_name, marks=[pytest.mark.longest] if bake.measures_coverage else []
    )
    for bake in SERVER_BAKES
]


def environment_for(bake: ServerBake) -> dict[str, str]:
    environment = {
        **os.environ,
        "TEST_POSTGRES_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        "TEST_REDIS_URL": f"redis://127.0.0.1:6379/{bake.redis_database}",
        "TEST_RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672//",
    }
    # The baked project's Makefile must find its own .venv, not the template's.
    environment.pop("VIRTUAL_ENV", None)
    return environment


def run_make(project: Path, target: str, environment: dict[str, str], *args: str) -> None:
    # A session of its own, so that a step over its time is stopped whole: `subprocess.run`
    # kills only `make`, and the suite it started would run on, orphaned, beside later runs.
    with subprocess.Popen(
        ["make", target, *args],
        cwd=project,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=STEP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            pytest.fail(f"make {target} took over {STEP_TIMEOUT_SECONDS} s in {project}")
    tail = "\n".join(output.splitlines()[-OUTPUT_TAIL_LINES:])
    assert process.returncode == 0, f"make {target} failed in {project}:\n{tail}"


@pytest.mark.slow
@pytest.mark.parametrize("server_bake", BAKES_ON_WORKERS)
def test_baked_project_installs_lints_and_tests_itself(server_bake: ServerBake, bake: Bake) -> None:
    project = bake(**server_bake.answers())
    environment = environment_for(server_bake)
    walkthrough = read_steps(project / PAGE) if server_bake.applies_walkthrough else []

    apply_edits(project, walkthrough)
    run_make(project, "install", environment)
    run_commands(project, walkthrough, environment)  # the migration: it needs the virtualenv
    run_make(project, "lint", environment)
    run_make(
        project,
        "test",
        environment,
        *([] if server_bake.measures_coverage else ["PYTEST_ARGS=--no-cov"]),
    )
    if server_bake.drives_docs_page:
        assert_docs_page_works_offline(project, environment, DOCS_PAGE_SHOT)
    if server_bake.fuzzes_served:
        redis_url = environment["TEST_REDIS_URL"]
        assert_served_fuzzing_passes(project, environment, redis_url, SERVED_FUZZING_COUNTS)
    if server_bake.applies_walkthrough:
        assert_tags_answer_over_http(project, environment)
