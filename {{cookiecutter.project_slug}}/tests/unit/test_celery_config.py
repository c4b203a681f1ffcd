"""The Celery application's configuration, from settings."""

import tempfile
from pathlib import Path

from {{ cookiecutter.package_name }}.infrastructure.queue.celery_app import create_celery

from ..conftest import make_settings


def test_the_schedule_store_is_named_after_the_queue_unless_placed() -> None:
    by_default = create_celery(make_settings("sqlite://", celery_queue="billing"))
    placed = create_celery(
        make_settings("sqlite://", celery_queue="billing", beat_schedule_file="/data/beat")
    )

    assert by_default.conf.beat_schedule_filename == str(
        Path(tempfile.gettempdir()) / "billing-beat"
    )
    assert placed.conf.beat_schedule_filename == "/data/beat"
