"""Finish a bake: prune unchosen options, install the license, write .env, keep the answers.

Cookiecutter renders this file with Jinja and runs it inside the new project's directory.
Standard library only: it runs with whatever Python runs cookiecutter.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

# `tojson` escapes every quote and backslash inside the answers, so the raw single-quoted string
# below survives any answer; double quotes would not, hence the formatter is told to leave it.
ANSWERS: dict[str, object] = json.loads(r'{{ cookiecutter | tojson }}')  # fmt: skip

# (question, answer) -> paths to delete when that answer was chosen. `{package}` is the package
# name. A listed path that does not exist fails the bake, so this table cannot silently rot.
PRUNED_WHEN: dict[tuple[str, str], list[str]] = {
    # Dependabot (.github/dependabot.yml) keeps uv.lock moving on GitHub, Renovate elsewhere.
    ("ci", "github"): [".gitlab-ci.yml", "renovate.json"],
    ("ci", "gitlab"): [".github"],
    ("ci", "none"): [".github", ".gitlab-ci.yml"],
    ("database", "postgresql"): ["deploy/k8s/data-volume.yaml", "bench/sqlite.py"],
    ("database", "sqlite"): [
        "bench/postgresql.py",
        "tests/integration/test_postgresql.py",
        "tests/integration/test_postgresql_idempotency.py",
        "tests/integration/test_database_bounds.py",
        # One SQLite file cannot be shared between pods: the API stays a single replica, and
        # the worker runs with the schedule in the API's pod (deploy/k8s/api-deployment.yaml).
        # Its init container migrates (no Job), and one replica has no disruption to budget.
        "deploy/k8s/hpa.yaml",
        "deploy/k8s/worker-deployment.yaml",
        "deploy/k8s/beat-deployment.yaml",
        "deploy/k8s/migrate",
        "deploy/k8s/api-pdb.yaml",
        "deploy/k8s/worker-pdb.yaml",
    ],
    ("include_example_domain", "n"): [
        "src/{package}/domain/items",
        "src/{package}/api/routers/items.py",
        "src/{package}/api/schemas/items.py",
        "src/{package}/api/schemas/price_text.py",
        "src/{package}/api/entity_tags.py",
        "src/{package}/infrastructure/database/item_repository.py",
        "tests/unit/test_items_service.py",
        "tests/unit/test_entity_tags.py",
        "tests/unit/test_item_codec.py",
        "tests/unit/test_items_caching.py",
        "tests/e2e/test_items_api.py",
        "tests/e2e/test_item_idempotency.py",
        "tests/e2e/test_item_input_limits.py",
        "tests/e2e/test_item_cache_api.py",
        "tests/e2e/test_item_statement_counts.py",
        "tests/e2e/test_item_listing_api.py",
        "tests/e2e/test_item_etags_api.py",
        "tests/integration/test_item_repository.py",
        "tests/integration/test_item_listing.py",
        "tests/fuzz/hooks.py",  # generated prices in cents
        "bench/items.py",
        "bench/profile.py",  # profiles B, the cached item read
    ],
}

LICENSES_DIR = Path("licenses")  # one rendered text per `license` answer; the chosen one stays
# One uv.lock per dependency set (database x python_version), rendered for this project's name
# and version; the template's scripts/lock_projects.py writes them. The chosen one stays.
LOCKS_DIR = Path("locks")
DOTENV = Path(".env")
CRUFT_STATE = Path(".cruft.json")
# Never let `cruft update` touch the per-bake secret (it differs between any two renderings).
CRUFT_SKIP = [".env"]
# Cookiecutter's built-in abbreviations, expanded so that cruft can clone the template again.
ABBREVIATIONS = {
    "gh": "https://github.com/{0}.git",
    "gl": "https://gitlab.com/{0}.git",
    "bb": "https://bitbucket.org/{0}",
}


def answer(question: str) -> str:
    return str(ANSWERS[question])


def prune_unchosen_options() -> None:
    for (question, chosen), paths in PRUNED_WHEN.items():
        if answer(question) != chosen:
            continue
        for pattern in paths:
            path = Path(pattern.format(package=answer("package_name")))
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            else:
                raise SystemExit(
                    f"error: cannot prune {path} for {question}={chosen}: it does not exist "
                    "(update PRUNED_WHEN in hooks/post_gen_project.py)"
                )


def install_chosen_license() -> None:
    (LICENSES_DIR / answer("license")).rename("LICENSE")
    shutil.rmtree(LICENSES_DIR)


def keep_chosen_lock() -> None:
    chosen = LOCKS_DIR / f"{answer('database')}-python{answer('python_version')}.lock"
    if not chosen.is_file():
        raise SystemExit(
            f"error: the template has no {chosen} for these answers "
            "(run scripts/lock_projects.py in the template)"
        )
    chosen.replace("uv.lock")
    shutil.rmtree(LOCKS_DIR)


def write_dotenv() -> None:
    """A `.env` with a fresh secret, readable by its owner only; an existing one is kept."""
    if DOTENV.exists():  # re-baking over a project (--overwrite-if-exists) keeps its secret
        return
    content = (
        "# Local settings of this checkout: never commit it (see .env.example for every setting).\n"
        "ENVIRONMENT=development\n"
        f"SECRET_KEY={secrets.token_urlsafe(48)}\n"
    )
    descriptor = os.open(DOTENV, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as dotenv:
        dotenv.write(content)


def template_location(template: str) -> str:
    """Where cruft can clone the template from: abbreviations expanded, local paths absolute."""
    prefix, _, rest = template.partition(":")
    if prefix in ABBREVIATIONS and rest:
        return ABBREVIATIONS[prefix].format(rest)
    if "://" in template or "@" in template:
        return template
    # Hooks run inside the new project; PWD names the directory the user's shell started
    # cookiecutter in. A program may start it elsewhere and leave PWD stale: then keep the path.
    candidate = Path(os.environ.get("PWD", Path.cwd()), template).resolve()
    return str(candidate) if (candidate / "cookiecutter.json").is_file() else template


def template_commit(template_dir: str) -> str | None:
    """The commit the template checkout is at, or None when it is not a git checkout."""
    try:
        completed = subprocess.run(
            ["git", "-C", template_dir, "rev-parse", "--verify", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git on this machine
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def write_cruft_state() -> None:
    """`.cruft.json` as `cruft create` writes it, so `cruft update` works on a plain bake too.

    Under cruft itself (which passes `_commit`), cruft writes this file after the hook.
    """
    if "_commit" in ANSWERS:
        return
    template = template_location(answer("_template"))
    repo_dir = str(ANSWERS.get("_repo_dir") or template)
    answers = {key: value for key, value in ANSWERS.items() if not key.startswith("_")}
    commit = template_commit(template_location(repo_dir))
    state = {
        "template": template,
        "commit": commit,
        "checkout": ANSWERS.get("_checkout"),
        "context": {"cookiecutter": {**answers, "_template": template, "_commit": commit}},
        "directory": None,
        "skip": CRUFT_SKIP,
    }
    CRUFT_STATE.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if commit is None:
        print(f"note: {template} is not a git checkout, so {CRUFT_STATE} records no commit")


def project_dir_for_humans() -> Path:
    """The new project's path relative to where cookiecutter was started, when it is below it."""
    project_dir = Path.cwd()
    started_in = Path(os.environ.get("PWD", project_dir.parent))
    return (
        project_dir.relative_to(started_in)
        if project_dir.is_relative_to(started_in)
        else project_dir
    )


def print_next_steps() -> None:
    project_dir = project_dir_for_humans()
    package = answer("package_name")
    print(
        f"\nBaked {answer('project_slug')} (package {package}). Next steps:\n"
        f"  cd {project_dir}\n"
        "  make install    # .venv with uv.lock's versions, and openapi.json\n"
        "  make migrate    # create the schema (a SQLite file until DATABASE_URL says otherwise)\n"
        "  make serve      # then open http://127.0.0.1:8000/docs\n"
        "  make worker     # in a second terminal: background jobs and the schedule\n"
        "  make help       # every other target\n"
        "Commit openapi.json with the rest: it is the API's contract, and a test fails when the\n"
        "served API drifts from it (`make openapi` accepts a change; docs/for-callers.md)."
    )


def main() -> int:
    prune_unchosen_options()
    install_chosen_license()
    keep_chosen_lock()
    write_dotenv()
    write_cruft_state()
    print_next_steps()
    return 0


if __name__ == "__main__":
    sys.exit(main())
