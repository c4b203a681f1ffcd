"""Where the processes of one command keep their metrics, so that a scrape counts them all.

prometheus-client decides once, when it is first imported, whether values live in the process
(one process) or in files under `PROMETHEUS_MULTIPROC_DIR` (several processes, summed by the
scraped one). So a command with several processes prepares the directory and sets the variable
before any of them imports prometheus-client: uvicorn's workers are fresh interpreters that
inherit the variable, and Celery's prefork children are forked from a parent that has not
imported it yet (cli.py imports its adapters inside each command for that reason, and a test
holds it: tests/e2e/test_metrics_processes.py).

This module imports nothing from prometheus-client on purpose: cli.py calls it first.
"""

import os
import shutil
from pathlib import Path

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def use_metrics_directory(directory: Path) -> None:
    """Start every process of this command from an empty directory: files left by an earlier
    run would otherwise be added to this one's counters."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[MULTIPROCESS_VARIABLE] = str(directory)


def multiprocess_directory() -> str | None:
    """The directory when this process runs in multiprocess mode, else `None`."""
    return os.environ.get(MULTIPROCESS_VARIABLE) or None
