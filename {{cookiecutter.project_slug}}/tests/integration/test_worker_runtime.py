"""Closing the worker process's runtime releases the outbound client, the pool and the loop:
the worker does it as each process that ran tasks stops (worker.py)."""

from pathlib import Path

from {{ cookiecutter.package_name }}.infrastructure.queue.runtime import LazyRuntime

from ..conftest import make_settings


def test_closing_the_runtime_releases_its_connections_and_its_loop(tmp_path: Path) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path}/worker.sqlite3",
        mail_webhook_url="https://mail.test/send",
    )
    lazy = LazyRuntime(settings)
    runtime = lazy.get()

    lazy.close()

    assert runtime.http.is_closed
    assert runtime.loop.is_closed()
    assert lazy.get() is not runtime  # a task after that gets a fresh one
    lazy.close()
    lazy.close()  # nothing left to close: a no-op
