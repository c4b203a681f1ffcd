"""docs/adding-a-resource.md of a baked project, applied to that project as a reader would.

The page says above each block it wants applied where the block goes, in one line of its own
(the last line before the block's opening fence):

    **New file** `path`:                  the block is the whole of a file that does not exist yet
    **In** `path`, **after** `line`:      the block goes right below the one line of the file
                                          that reads `line` (spaces around either are ignored)
    **At the end of** `path`:             the block is appended to the file
    **Run**:                              a shell block, run line by line in the project
    **Expect** `glob`:                    the one file matching `glob` reads as the block, but for
                                          its `Create Date:` line

Paths are relative to the project. A block under no such line is an illustration, left alone.
Edits come first (`apply_edits`), commands after the project is installed (`run_commands`):
the commands need its virtualenv, and no later edit changes what they read.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = Path("docs/adding-a-resource.md")
EDIT_KINDS = ("new", "after", "end")
LABELS = {
    "new": re.compile(r"^\*\*New file\*\* `(?P<path>[^`]+)`:$"),
    "after": re.compile(r"^\*\*In\*\* `(?P<path>[^`]+)`, \*\*after\*\* `(?P<anchor>[^`]+)`:$"),
    "end": re.compile(r"^\*\*At the end of\*\* `(?P<path>[^`]+)`:$"),
    "run": re.compile(r"^\*\*Run\*\*:$"),
    "expect": re.compile(r"^\*\*Expect\*\* `(?P<path>[^`]+)`:$"),
}
FENCE = re.compile(r"^```(?P<language>\w*)$")
CREATE_DATE = re.compile(r"^Create Date: .*$", re.MULTILINE)


@dataclass(frozen=True)
class Step:
    kind: str  # a key of LABELS
    path: str  # the file, or the glob of `expect`; empty for `run`
    anchor: str  # the line of `after`; empty otherwise
    body: str  # the block, each line ending in a newline
    line: int  # of the label in the page, for messages

    def __str__(self) -> str:
        return f"{PAGE}:{self.line} ({self.kind} {self.path} {self.anchor})".rstrip()


def read_steps(page: Path) -> list[Step]:
    """The labelled blocks of the page, in order; a label with no block under it is an error."""
    lines = page.read_text().splitlines()
    steps: list[Step] = []
    pending: tuple[str, dict[str, str], int] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        if fence is not None:
            end = lines.index("```", index + 1)  # ValueError: an unclosed block
            if pending is not None:
                kind, fields, label_line = pending
                body = "".join(f"{text}\n" for text in lines[index + 1 : end])
                steps.append(
                    Step(kind, fields.get("path", ""), fields.get("anchor", ""), body, label_line)
                )
                pending = None
            index = end + 1
            continue
        if pending is not None and line.strip():
            raise ValueError(f"{PAGE}:{pending[2]}: a label must be followed by its block")
        for kind, pattern in LABELS.items():
            if (label := pattern.match(line)) is not None:
                pending = (kind, label.groupdict(), index + 1)
        index += 1
    if pending is not None:
        raise ValueError(f"{PAGE}:{pending[2]}: a label must be followed by its block")
    return steps


def edit_problems(project: Path, steps: Sequence[Step]) -> list[str]:
    """Why the edits would not apply to `project` as it is: empty when they all would."""
    problems = []
    created = {step.path for step in steps if step.kind == "new"}
    for step in steps:
        target = project / step.path
        if step.kind == "new" and target.exists():
            problems.append(f"{step}: the file exists already")
        elif step.kind in ("after", "end") and not (target.is_file() or step.path in created):
            problems.append(f"{step}: no such file")
        elif step.kind == "after" and target.is_file():
            matches = _anchor_lines(target.read_text().splitlines(), step.anchor)
            if len(matches) != 1:
                problems.append(f"{step}: the line occurs {len(matches)} times, not once")
    return problems


def apply_edits(project: Path, steps: Sequence[Step]) -> None:
    problems = edit_problems(project, steps)
    assert problems == [], "\n".join(problems)
    for step in steps:
        target = project / step.path
        if step.kind == "new":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.body)
        elif step.kind == "end":
            target.write_text(target.read_text() + step.body)
        elif step.kind == "after":
            lines = target.read_text().splitlines(keepends=True)
            [at] = _anchor_lines([line.rstrip("\n") for line in lines], step.anchor)
            target.write_text("".join([*lines[: at + 1], step.body, *lines[at + 1 :]]))


def run_commands(project: Path, steps: Sequence[Step], environment: Mapping[str, str]) -> None:
    """The page's commands, in order, each checked by the `expect` blocks that follow it."""
    for step in steps:
        if step.kind == "run":
            for command in step.body.splitlines():
                if command.strip() and not command.lstrip().startswith("#"):
                    _run(project, command, environment)
        elif step.kind == "expect":
            [written] = sorted(project.glob(step.path))
            assert _undated(written.read_text()) == _undated(step.body), (
                f"{step}: {written.name} is not what the page shows:\n{written.read_text()}"
            )


def _anchor_lines(lines: Sequence[str], anchor: str) -> list[int]:
    return [number for number, line in enumerate(lines) if line.strip() == anchor.strip()]


def _undated(text: str) -> str:
    return CREATE_DATE.sub("Create Date:", text)


def _run(project: Path, command: str, environment: Mapping[str, str]) -> None:
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=dict(environment),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"{command}:\n{completed.stdout}{completed.stderr}"
