"""Fixtures that bake the template into temporary directories."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from baking import TEMPLATE_DIR, Bake, write_user_config
from pairwise import Case


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order `make test`'s two workers (`--dist worksteal`) start from, each with one half:
    the `longest` test first, on a worker of its own; the other slow ones last, one after the
    other on the second worker, after its quick tests; the first worker takes quick tests
    from the second when it is done."""

    def place(item: pytest.Item) -> int:
        if item.get_closest_marker("longest") is not None:
            return 0
        return 2 if item.get_closest_marker("slow") is not None else 1

    items.sort(key=place)


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
