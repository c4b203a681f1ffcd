"""docs/adding-a-resource.md still fits the code: every file, line and revision it names is
there in every bake, and the files it writes pass ruff. Fast, so that a change elsewhere that
the page does not follow fails `pytest -m "not slow"`; the slow "Rabbit Service" test of
test_generated_projects.py applies the page and runs the project's own lint and tests on it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pairwise import PAIRWISE_CASES, Case
from walkthrough import PAGE, Step, apply_edits, edit_problems, read_steps

BakedCase = Callable[[Case], Path]
BIN = Path(sys.executable).parent  # the tools of the template's own virtualenv
DEFAULTS = PAIRWISE_CASES[0]
REVISION = re.compile(r'^(down_)?revision: str(?: \| None)? = "(?P<id>\w+)"$', re.MULTILINE)
REV_ID = re.compile(r"--rev-id (?P<id>\w+)")

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def steps_of(project: Path, kind: str) -> list[Step]:
    return [step for step in read_steps(project / PAGE) if step.kind == kind]


def revisions(text: str) -> dict[str, str]:
    """`revision` and `down_revision` of a revision file."""
    return {f"{match[1] or ''}revision": match["id"] for match in REVISION.finditer(text)}


@each_case
def test_every_edit_finds_its_place(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    assert edit_problems(project, read_steps(project / PAGE)) == []


@each_case
def test_the_files_the_page_writes_pass_ruff(
    case: Case, baked_case: BakedCase, tmp_path: Path
) -> None:
    project = shutil.copytree(baked_case(case), tmp_path / "project")

    apply_edits(project, read_steps(project / PAGE))

    for command in (["check"], ["format", "--check"]):
        completed = subprocess.run(
            [BIN / "ruff", *command, "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_page_uses_every_kind_of_step(baked_case: BakedCase) -> None:
    steps = read_steps(baked_case(DEFAULTS) / PAGE)

    assert {step.kind for step in steps} == {"new", "after", "end", "run", "expect"}


def test_the_generated_revision_follows_the_newest_one(baked_case: BakedCase) -> None:
    project = baked_case(DEFAULTS)
    [expect] = steps_of(project, "expect")
    [run] = [step for step in steps_of(project, "run") if REV_ID.search(step.body)]
    versions = project / "migrations/versions"
    existing = [revisions(path.read_text()) for path in versions.glob("*.py")]
    newest = {found["revision"] for found in existing} - {
        found.get("down_revision") for found in existing
    }
    shown = revisions(expect.body)
    asked = REV_ID.search(run.body)

    assert asked is not None
    assert shown == {"revision": asked["id"], "down_revision": newest.pop()}
    assert not newest  # one head
    assert list(project.glob(expect.path)) == []


def test_a_label_without_its_block_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("**New file** `a.py`:\n\nSome prose instead of a block.\n")

    with pytest.raises(ValueError, match="a label must be followed by its block"):
        read_steps(page)


def test_a_line_that_is_not_there_once_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\nx = 1\n")
    page = tmp_path / "page.md"
    page.write_text(
        "**In** `a.py`, **after** `x = 1`:\n\n```python\ny = 2\n```\n"
        "**In** `a.py`, **after** `z = 3`:\n\n```python\ny = 2\n```\n"
    )

    problems = edit_problems(tmp_path, read_steps(page))

    assert [problem.rsplit(": ", 1)[1] for problem in problems] == [
        "the line occurs 2 times, not once",
        "the line occurs 0 times, not once",
    ]


def test_an_edit_goes_right_below_its_line(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("first = 1\n    second = 2\nthird = 3\n")
    page = tmp_path / "page.md"
    page.write_text(
        "**In** `a.py`, **after** `second = 2`:\n\n```python\n    inserted = 0\n```\n\n"
        "**At the end of** `a.py`:\n\n```python\nlast = 4\n```\n\n"
        "An illustration, left alone:\n\n```python\nnot_applied = 5\n```\n"
    )

    apply_edits(tmp_path, read_steps(page))

    assert (tmp_path / "a.py").read_text() == (
        "first = 1\n    second = 2\n    inserted = 0\nthird = 3\nlast = 4\n"
    )
