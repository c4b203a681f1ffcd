"""Where the template is, and how a test bakes it: through the API or the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Protocol

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
# Local state of a template checkout that is no part of the template.
NOT_TEMPLATE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"
)


class Bake(Protocol):
    """The `bake` fixture: bake with these answers (the rest default); the project's path."""

    def __call__(self, **answers: str) -> Path: ...


def write_user_config(directory: Path) -> Path:
    """A cookiecutter config that keeps clones and replays out of the user's home directory."""
    config = directory / "cookiecutter-config.yaml"
    config.write_text(
        f"cookiecutters_dir: {directory / 'cookiecutters'}\nreplay_dir: {directory / 'replay'}\n"
    )
    return config


def copy_template(destination: Path) -> Path:
    """A copy of the template that a test may change without touching the checkout."""
    shutil.copytree(TEMPLATE_DIR, destination, ignore=NOT_TEMPLATE)
    return destination


def run_cookiecutter(
    template_dir: Path, output_dir: Path, user_config: Path, **answers: str
) -> subprocess.CompletedProcess[str]:
    """`cookiecutter --no-input` as a user runs it, with its exit code and output."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--config-file",
            str(user_config),
            "--output-dir",
            str(output_dir),
            str(template_dir),
            *(f"{question}={answer}" for question, answer in answers.items()),
        ],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
