"""Process-level tuning."""

import gc

from {{ cookiecutter.package_name }}.shared.runtime import freeze_startup_objects


def test_startup_objects_are_frozen_out_of_garbage_collection() -> None:
    try:
        freeze_startup_objects()

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
