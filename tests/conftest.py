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
    """The slow tests first, so that `make test` hands them out before the quick ones."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
