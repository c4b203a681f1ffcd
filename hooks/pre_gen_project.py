"""Reject answers that would bake a broken project, before cookiecutter writes anything for it.

Cookiecutter renders this file with Jinja and runs it inside the new project's directory; when it
exits non-zero, cookiecutter deletes that directory, so a rejection leaves nothing behind.
Standard library only: it runs with whatever Python runs cookiecutter.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable

# `tojson` escapes every quote and backslash inside the answers, so the raw single-quoted string
# below survives any answer; double quotes would not, hence the formatter is told to leave it.
ANSWERS: dict[str, object] = json.loads(r'{{ cookiecutter | tojson }}')  # fmt: skip

LOWERCASE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]{2,}")
# PEP 440's public versions, N.N[.N...][aN|bN|rcN][.postN][.devN]: what a new project uses.
PEP440_VERSION = re.compile(r"\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?")
# Import names of the service's own dependencies: a package named like one would hide it.
DEPENDENCY_MODULES = frozenset(
    {"alembic", "celery", "fastapi", "jwt", "kombu", "pydantic", "redis", "sqlalchemy", "uvicorn"}
)
# Free text lands inside quoted strings of pyproject.toml and YAML files.
FREE_TEXT_FIELDS = ("project_name", "description", "author_name")


def problem_with_package_name(name: str) -> str | None:
    if not LOWERCASE_IDENTIFIER.fullmatch(name):
        return "must be a lowercase Python identifier (a-z, 0-9, _; not starting with a digit)"
    if keyword.iskeyword(name):
        return "is a Python keyword"
    if name in sys.stdlib_module_names:
        return "would shadow the standard-library module of that name"
    if name in DEPENDENCY_MODULES:
        return "would shadow a dependency of the service"
    return None


def problem_with_project_slug(slug: str) -> str | None:
    if SLUG.fullmatch(slug):
        return None
    return "may contain only a-z, 0-9 and '-', and must not start or end with '-'"


def problem_with_author_email(email: str) -> str | None:
    return None if EMAIL.fullmatch(email) else "is not an email address like name@example.com"


def problem_with_version(version: str) -> str | None:
    return None if PEP440_VERSION.fullmatch(version) else "is not a PEP 440 version like 0.1.0"


def problem_with_free_text(text: str) -> str | None:
    if not text.strip():
        return "must not be empty"
    if any(character in text for character in '"\\\n'):
        return "must be one line without double quotes or backslashes"
    return None


CHECKS: list[tuple[str, Callable[[str], str | None]]] = [
    ("project_slug", problem_with_project_slug),
    ("package_name", problem_with_package_name),
    ("author_email", problem_with_author_email),
    ("version", problem_with_version),
    *((field, problem_with_free_text) for field in FREE_TEXT_FIELDS),
]


def first_problem(answers: dict[str, object]) -> str | None:
    """The first rejected answer as one line naming the field and its value, or None."""
    for field, find_problem in CHECKS:
        value = str(answers[field])
        problem = find_problem(value)
        if problem is not None:
            return f"{field} {value!r} {problem}"
    return None


def main() -> int:
    problem = first_problem(ANSWERS)
    if problem is None:
        return 0
    print(f"error: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
