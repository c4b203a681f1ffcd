"""`.cruft.json` keeps the answers that re-bake a project, and lets `cruft update` work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from baking import TEMPLATE_DIR, Bake, copy_template, run_cookiecutter, write_user_config

NON_DEFAULT_ANSWERS = {
    "project_name": "Billing API",
    "description": "Bills and invoices.",
    "database": "sqlite",
    "broker": "rabbitmq",
    "include_example_domain": "n",
    "ci": "gitlab",
    "license": "Apache-2.0",
}
# Only the per-bake secret may differ between two bakes with the same answers.
DIFFERS_PER_BAKE = {Path(".env")}
GIT_IDENTITY = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]


def read_cruft_state(project: Path) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((project / ".cruft.json").read_text())
    return state


def git(directory: Path, *arguments: str) -> str:
    command = ["git", *GIT_IDENTITY, *arguments]
    completed = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=True)
    return completed.stdout.strip()


def tree(project: Path) -> dict[Path, bytes]:
    return {
        path.relative_to(project): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and path.relative_to(project) not in DIFFERS_PER_BAKE
    }


def test_cruft_state_keeps_the_answers_template_and_commit(bake: Bake) -> None:
    project = bake(**NON_DEFAULT_ANSWERS)

    state = read_cruft_state(project)

    answers = state["context"]["cookiecutter"]
    assert {key: answers[key] for key in NON_DEFAULT_ANSWERS} == NON_DEFAULT_ANSWERS
    assert answers["package_name"] == "billing_api"
    assert state["template"] == answers["_template"] == str(TEMPLATE_DIR)
    head = subprocess.run(
        ["git", "-C", str(TEMPLATE_DIR), "rev-parse", "--verify", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert state["commit"] == (head.stdout.strip() if head.returncode == 0 else None)
    assert ".env" in state["skip"]


def test_the_kept_answers_bake_the_same_project_again(bake: Bake) -> None:
    first = bake(**NON_DEFAULT_ANSWERS)
    kept = read_cruft_state(first)["context"]["cookiecutter"]

    second = bake(**{key: value for key, value in kept.items() if not key.startswith("_")})

    assert tree(second) == tree(first)


CRUFT = str(Path(sys.executable).parent / "cruft")
ADDED_LINE = "# a line the template added later"


def commit_template_v1(tmp_path: Path) -> Path:
    template = copy_template(tmp_path / "template")
    git(template, "init", "--quiet")
    git(template, "add", "--all")
    git(template, "commit", "--quiet", "--message", "template v1")
    return template


def commit_template_v2(template: Path) -> None:
    gitignore = template / "{{cookiecutter.project_slug}}" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + ADDED_LINE + "\n")
    git(template, "commit", "--quiet", "--all", "--message", "template v2")


def bake_with(tool: str, template: Path, output_dir: Path) -> Path:
    """Bake the defaults the way the README tells users to, with cookiecutter or cruft."""
    config = write_user_config(output_dir)
    if tool == "cookiecutter":
        baked = run_cookiecutter(template, output_dir, config)
    else:
        command = [CRUFT, "create", "--no-input", "--skip", ".env", "--config-file", str(config)]
        command += ["--output-dir", str(output_dir), str(template)]
        baked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert baked.returncode == 0, baked.stdout + baked.stderr
    project = output_dir / "example-service"
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "baked")
    return project


@pytest.mark.parametrize("tool", ["cookiecutter", "cruft"])
def test_cruft_update_brings_a_template_change_into_a_baked_project(
    tool: str, tmp_path: Path
) -> None:
    template = commit_template_v1(tmp_path)
    project = bake_with(tool, template, tmp_path)
    dotenv_before = (project / ".env").read_text()
    commit_template_v2(template)

    outdated = subprocess.run([CRUFT, "check"], cwd=project, capture_output=True, check=False)
    updated = subprocess.run(
        [CRUFT, "update", "--skip-apply-ask"], cwd=project, capture_output=True, text=True
    )

    assert outdated.returncode != 0
    # A clean update: git applied every hunk and rejected none into a *.rej file.
    assert updated.returncode == 0
    assert "Failed to apply" not in updated.stdout + updated.stderr, updated.stdout
    assert list(project.rglob("*.rej")) == []
    assert ADDED_LINE in (project / ".gitignore").read_text().splitlines()
    assert (project / ".env").read_text() == dotenv_before
    assert read_cruft_state(project)["commit"] == git(template, "rev-parse", "HEAD")
    assert subprocess.run([CRUFT, "check"], cwd=project, check=False).returncode == 0
