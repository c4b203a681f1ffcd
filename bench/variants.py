"""`make bench-variants`: the cached item read (G) as baked, beside patched copies of it.

A tuning earns its place with a number (STYLE.md); this measures one. Each patch in
bench/variants/ (a unified diff against the baked default project) is applied to a copy of the
baked sources, and the copy is served in place of the baked package (PYTHONPATH), in the same
run, interleaved with H and G as `make bench` serves them. Writes bench/variants.md and prints it.

    python bench/variants.py bench/variants/*.patch     (what `make bench-variants` runs)
"""

import shutil
import subprocess
import sys
from pathlib import Path

from run import (
    BUILD_DIR,
    CONNECTIONS,
    SERVICE,
    TEMPLATE_DIR,
    Scenario,
    heading,
    measure,
    prepared_service,
    scenarios,
)

from report import render  # beside this script: on its path

RESULTS = TEMPLATE_DIR / "bench" / "variants.md"
TELEMETRY_OFF = {"OTEL_SDK_DISABLED": "true"}


def main(patches: list[Path]) -> int:
    if not patches:
        print(__doc__, file=sys.stderr)
        return 2
    with prepared_service() as prepared:
        baseline = [s for s in scenarios(prepared.item_id, prepared.password) if s.letter in "HG"]
        variants = [
            variant_scenario(prepared.project, f"V{number}", patch, baseline[-1].path)
            for number, patch in enumerate(patches, start=1)
        ]
        measured = measure(prepared.project, prepared.env, [*baseline, *variants], prepared.token)
    table = render(heading(measured), [(s.letter, s.title, found) for s, found in measured])
    RESULTS.write_text(table.replace("`make bench`", "`make bench-variants`", 1))
    print(RESULTS.read_text())
    return 0


def variant_scenario(project: Path, letter: str, patch: Path, path: str) -> Scenario:
    """G, served from a copy of the baked sources with `patch` applied."""
    copy = BUILD_DIR / "variants" / patch.stem
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "src", copy / "src")
    subprocess.run(["git", "apply", "-p1", str(patch.resolve())], cwd=copy, check=True)
    env = {**TELEMETRY_OFF, "PYTHONPATH": f"{copy / 'src'}:{TEMPLATE_DIR / 'bench'}"}
    served = subprocess.run(
        [
            str(project / ".venv/bin/python"),
            "-c",
            "import example_service; print(example_service.__file__)",
        ],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if not served.startswith(str(copy)):  # else the baked package would be measured twice
        raise RuntimeError(f"{patch.name}: the copy is not what is served ({served.strip()})")
    title = f"G with {patch.stem}"
    return Scenario(letter, title, path, SERVICE, env, connections=CONNECTIONS)


if __name__ == "__main__":
    sys.exit(main([Path(argument) for argument in sys.argv[1:]]))
