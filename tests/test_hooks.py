"""The hooks: pre_gen rejects bad answers cleanly; post_gen prunes strictly and writes .env."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from baking import TEMPLATE_DIR, Bake, copy_template, run_cookiecutter

REJECTED_ANSWERS = [
    ("package_name", "Bad-Name"),
    ("package_name", "class"),
    ("package_name", "json"),
    ("package_name", "1abc"),
    ("package_name", "celery"),
    ("project_slug", "My_Slug"),
    ("project_slug", "a b"),
    ("project_slug", "-service"),
    ("project_slug", "service-"),
    ("author_email", "no-at-sign"),
    ("author_email", "a@b"),
    ("version", "first"),
    ("description", 'a "quoted" word'),
]


@pytest.mark.parametrize(("question", "answer"), REJECTED_ANSWERS)
def test_pre_gen_rejects_with_one_line_and_leaves_nothing(
    question: str, answer: str, tmp_path: Path, user_config: Path
) -> None:
    output_dir = tmp_path / "output"
    output_dir.mkdir()

    baked = run_cookiecutter(TEMPLATE_DIR, output_dir, user_config, **{question: answer})

    assert baked.returncode != 0
    error_lines = [line for line in baked.stderr.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 1, baked.stderr
    assert error_lines[0].startswith(f"error: {question} {answer!r} ")
    assert list(output_dir.iterdir()) == []


def test_an_empty_slug_is_refused_before_the_hook_runs(tmp_path: Path, user_config: Path) -> None:
    # The project directory would be the output directory itself: cookiecutter stops first.
    baked = run_cookiecutter(TEMPLATE_DIR, tmp_path, user_config, project_slug="")

    assert baked.returncode != 0
    assert "already exists" in baked.stdout + baked.stderr
    assert list(tmp_path.iterdir()) == []


def test_pre_gen_accepts_unusual_but_valid_answers(bake: Bake) -> None:
    project = bake(
        project_name="Ledger 2",
        project_slug="ledger2-api",
        package_name="ledger2_api",
        author_email="first.last+ci@mail.example.co",
        version="1.0.0rc1",
    )

    assert project.name == "ledger2-api"
    assert (project / "src" / "ledger2_api").is_dir()


def test_post_gen_names_a_missing_lock(tmp_path: Path, user_config: Path) -> None:
    template = copy_template(tmp_path / "template")
    (template / "{{cookiecutter.project_slug}}/locks/sqlite-python3.12.lock").unlink()
    output_dir = tmp_path / "output"
    output_dir.mkdir()

    baked = run_cookiecutter(
        template, output_dir, user_config, database="sqlite", python_version="3.12"
    )

    assert baked.returncode != 0
    assert "error: the template has no locks/sqlite-python3.12.lock" in baked.stderr
    assert list(output_dir.iterdir()) == []


def test_post_gen_names_a_prune_path_that_does_not_exist(tmp_path: Path, user_config: Path) -> None:
    template = copy_template(tmp_path / "template")
    (template / "{{cookiecutter.project_slug}}" / ".gitlab-ci.yml").unlink()
    output_dir = tmp_path / "output"
    output_dir.mkdir()

    baked = run_cookiecutter(template, output_dir, user_config, ci="github")

    assert baked.returncode != 0
    assert "error: cannot prune .gitlab-ci.yml for ci=github: it does not exist" in baked.stderr
    assert list(output_dir.iterdir()) == []


def read_dotenv(project: Path) -> dict[str, str]:
    lines = (project / ".env").read_text().splitlines()
    settings = (line.partition("=") for line in lines if line and not line.startswith("#"))
    return {name: value for name, _, value in settings}


def test_post_gen_writes_a_private_dotenv_with_a_fresh_secret_per_bake(bake: Bake) -> None:
    first, second = bake(), bake()

    first_settings, second_settings = read_dotenv(first), read_dotenv(second)

    assert first_settings["ENVIRONMENT"] == "development"
    secret = first_settings["SECRET_KEY"]
    assert len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) >= 32
    assert second_settings["SECRET_KEY"] != secret
    assert stat.S_IMODE((first / ".env").stat().st_mode) == 0o600


def test_post_gen_is_the_only_place_that_sets_a_secret(bake: Bake) -> None:
    # .env is ignored by git and the secret appears in no other baked file.
    project = bake()
    secret = read_dotenv(project)["SECRET_KEY"]

    files_with_secret = [
        path.relative_to(project)
        for path in project.rglob("*")
        if path.is_file() and secret in path.read_text(errors="replace")
    ]

    assert files_with_secret == [Path(".env")]
    assert ".env" in (project / ".gitignore").read_text().splitlines()
