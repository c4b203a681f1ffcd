"""The locks: each baked project's uv.lock matches its pyproject.toml, and so does the template's
own requirements-dev.txt its requirements-dev.in (SPEC section 9).

Fast: nothing is installed. `uv lock --check` reads the lock and the project and resolves again
only when they disagree, so a stale lock fails here before any baked suite would install it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from baking import TEMPLATE_DIR, Bake
from lock_projects import dependency_sets, interpreter_for, lock_name, uv, uv_environment
from pairwise import PAIRWISE_CASES, Case

BakedCase = Callable[[Case], Path]
DOCKERFILE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}/deploy/Dockerfile"
UV_IMAGE = re.compile(r"ghcr\.io/astral-sh/uv:(\S+)")


def check_lock(project: Path, python_version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [uv(), "lock", "--check", "--python", interpreter_for(python_version)],
        cwd=project,
        env=uv_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


def locked_versions(project: Path) -> dict[str, str]:
    lock = tomllib.loads((project / "uv.lock").read_text())
    return {package["name"]: package.get("version", "") for package in lock["package"]}


@pytest.mark.parametrize("answers", dependency_sets(), ids=lock_name)
def test_each_stored_lock_is_fresh_against_its_pyproject(
    answers: dict[str, str], bake: Bake
) -> None:
    project = bake(**answers)

    checked = check_lock(project, answers["python_version"])

    assert checked.returncode == 0, (
        f"{lock_name(answers)} is stale: run `make locks` in the template\n{checked.stderr}"
    )


def test_a_lock_serves_any_project_name_and_version(bake: Bake) -> None:
    # "zebra" sorts after every dependency, unlike the name the locks were made under.
    project = bake(project_name="Zebra Service", version="2.0.1rc1")

    checked = check_lock(project, "3.11")

    assert checked.returncode == 0, checked.stderr
    assert locked_versions(project)["zebra-service"] == "2.0.1rc1"


def test_a_stale_lock_fails_the_check(bake: Bake) -> None:
    project = bake(project_name="Stale Service")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pyjwt>=2.10",', '"pyjwt>=2.10",\n"six",'))

    checked = check_lock(project, "3.11")

    assert checked.returncode != 0
    assert "needs to be updated" in checked.stderr


@pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)
def test_the_answers_dependency_set_is_kept_as_uv_lock(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    lock = tomllib.loads((project / "uv.lock").read_text())

    assert not (project / "locks").exists()
    assert lock["requires-python"] == f">={case.python_version}"
    assert ("asyncpg" in locked_versions(project)) == (case.database == "postgresql")


def test_the_image_installs_with_the_locks_uv(bake: Bake) -> None:
    project = bake()
    image_tag = UV_IMAGE.search(DOCKERFILE.read_text())

    assert image_tag is not None, "deploy/Dockerfile copies uv from no ghcr.io/astral-sh/uv image"
    assert image_tag.group(1) == locked_versions(project)["uv"], "run `make locks` in the template"


def test_requirements_dev_is_compiled_from_requirements_dev_in(tmp_path: Path) -> None:
    for name in ("Makefile", "requirements-dev.in", "requirements-dev.txt"):
        shutil.copy2(TEMPLATE_DIR / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    environment = {**os.environ}
    environment.pop("MAKEFLAGS", None)

    # `-o`: the virtualenv this test runs in is the one to compile with, never reinstalled.
    subprocess.run(
        ["make", "-s", "-o", ".venv/.installed-requirements", "requirements"],
        cwd=tmp_path,
        env=environment,
        check=True,
    )

    compiled = (tmp_path / "requirements-dev.txt").read_text()
    assert compiled == (TEMPLATE_DIR / "requirements-dev.txt").read_text(), (
        "requirements-dev.txt is stale: run `make requirements` in the template"
    )
