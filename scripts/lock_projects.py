"""Refresh the uv.lock files the template ships, one per dependency set the answers produce.

    .venv/bin/python scripts/lock_projects.py            after editing the generated pyproject.toml
    .venv/bin/python scripts/lock_projects.py --upgrade  newest versions the constraints allow

Then run `make test`: the three baked suites install from the new locks, so a commit of the locks
records versions the template's tests passed with. Each set is baked under the default name,
locked with `uv lock` (from the stored lock, so only what changed moves unless --upgrade), and
stored back in {{cookiecutter.project_slug}}/locks/ with the project's name and version turned
into Jinja: one lock serves every project name (uv does not mind where the project's own entry
sorts). The post-gen hook keeps the chosen set's lock as uv.lock (hooks/post_gen_project.py).
deploy/Dockerfile's uv image follows the uv version the locks pin.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
LOCKS_DIR = PROJECT_DIR / "locks"
# The answers that change pyproject.toml's dependencies or requires-python; no other does.
LOCKED_QUESTIONS = ("database", "python_version")
SLUG_JINJA = "{{ cookiecutter.project_slug }}"
VERSION_JINJA = "{{ cookiecutter.version }}"


def dependency_sets() -> list[dict[str, str]]:
    """Every combination of the locked questions' choices, from cookiecutter.json."""
    questions = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    sets: list[dict[str, str]] = [{}]
    for question in LOCKED_QUESTIONS:
        sets = [{**chosen, question: choice} for chosen in sets for choice in questions[question]]
    return sets


def lock_name(answers: dict[str, str]) -> str:
    """The file under locks/ for these answers; the hook builds the same name."""
    return f"{answers['database']}-python{answers['python_version']}.lock"


def interpreter_for(version: str) -> str:
    """A Python of that minor version: uv needs one that satisfies requires-python to lock.

    pyenv's shims answer for the selected version only, so its versions are looked at too.
    """
    pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [
        shutil.which(f"python{version}"),
        *map(str, sorted(pyenv_versions.glob(f"{version}.*/bin/python{version}"))),
    ]
    for candidate in filter(None, candidates):
        probe = [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        answered = subprocess.run(probe, capture_output=True, text=True, check=False)
        if answered.returncode == 0 and answered.stdout.strip() == version:
            return candidate
    raise SystemExit(f"error: no Python {version} found to lock with (install it, e.g. pyenv)")


def uv_environment() -> dict[str, str]:
    """uv as a user's shell runs it in a bake: no foreign virtualenv, no Python downloads."""
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    environment.pop("VIRTUAL_ENV", None)
    return environment


def uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if found is None:
        raise SystemExit("error: uv is not installed (make -s .venv/.installed-requirements)")
    return found


def bake_without_hooks(answers: dict[str, str], output_dir: Path) -> Path:
    """The set's project with every stored lock rendered in locks/ (no hook prunes them)."""
    from cookiecutter.main import cookiecutter  # the template's .venv has it

    baked = cookiecutter(
        str(TEMPLATE_DIR),
        no_input=True,
        extra_context=answers,
        output_dir=str(output_dir),
        accept_hooks=False,
    )
    return Path(baked)


def as_template(lock: str, slug: str, version: str) -> str:
    """The lock with the project's own name and version as Jinja, for any project name."""
    own_entry = f'name = "{slug}"\nversion = "{version}"\nsource = {{ editable = "." }}\n'
    if own_entry not in lock:
        raise SystemExit(f"error: the lock has no entry for the project {slug} {version}")
    lock = lock.replace(own_entry, own_entry.replace(f'"{version}"', f'"{VERSION_JINJA}"'))
    return lock.replace(f'name = "{slug}"', f'name = "{SLUG_JINJA}"')


def refresh(answers: dict[str, str], upgrade: bool, scratch: Path) -> None:
    project = bake_without_hooks(answers, scratch)
    stored = project / "locks" / lock_name(answers)
    if stored.exists():  # lock from the stored versions: only what pyproject.toml changed moves
        shutil.copyfile(stored, project / "uv.lock")
    command = [uv(), "lock", "--python", interpreter_for(answers["python_version"])]
    subprocess.run(
        [*command, *(["--upgrade"] if upgrade else [])],
        cwd=project,
        env=uv_environment(),
        check=True,
    )
    context = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    slug = project.name
    lock = as_template((project / "uv.lock").read_text(), slug, context["version"])
    (LOCKS_DIR / lock_name(answers)).write_text(lock)
    print(f"locked {lock_name(answers)}")


def pin_image_uv(lock: str) -> None:
    """The image builds with the uv the lock pins (deploy/Dockerfile copies it from uv's image)."""
    [version] = re.findall(r'\[\[package\]\]\nname = "uv"\nversion = "([^"]+)"', lock)
    dockerfile = PROJECT_DIR / "deploy/Dockerfile"
    text = dockerfile.read_text()
    dockerfile.write_text(re.sub(r"(ghcr\.io/astral-sh/uv:)\S+", rf"\g<1>{version}", text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="take the newest allowed versions")
    arguments = parser.parse_args()
    LOCKS_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lock-projects-") as scratch:
        for number, answers in enumerate(dependency_sets()):
            refresh(answers, arguments.upgrade, Path(scratch) / str(number))
    pin_image_uv((LOCKS_DIR / lock_name(dependency_sets()[0])).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
