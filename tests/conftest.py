"""Fixtures that bake the template into temporary directories."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from baking import TEMPLATE_DIR, Bake, write_user_config
from pairwise import Case


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The order `make test`'s two workers start from. `--dist worksteal` gives the first
    worker the first half of the items and the second the rest, and lets a worker with nothing
    left take from the other's tail. So the `longest` test goes first, and the other slow ones
    first in the second half: the two workers start them at once, one worker the longest, the
    other the rest one after the other, and the quick tests fill in behind."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    if workers != 2:
        return
    longest = [item for item in items if item.get_closest_marker("longest") is not None]
    slow = [
        item
        for item in items
        if item.get_closest_marker("slow") is not None and item not in longest
    ]
    quick = [item for item in items if item not in longest and item not in slow]
    first_half = len(items) // 2 - len(longest)
    items[:] = [*longest, *quick[:first_half], *slow, *quick[first_half:]]


@pytest.fixture(scope="session")
def user_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_user_config(tmp_path_factory.mktemp("cookiecutter-home"))


@pytest.fixture(scope="session")
def bake(tmp_path_factory: pytest.TempPathFactory, user_config: Path) -> Bake:
    def bake_with(**answers: str) -> Path:
        output_dir = tmp_path_factory.mktemp("bake")
        project_dir = cookiecutter(
            str(TEMPLATE_DIR),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
            config_file=str(user_config),
        )
        return Path(project_dir)

    return bake_with


@pytest.fixture(scope="session")
def baked_case(bake: Bake) -> Callable[[Case], Path]:
    """Bakes each matrix case once per test process, however many tests look at it."""
    return functools.cache(lambda case: bake(**case.answers()))
