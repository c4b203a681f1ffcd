"""`make bench-variants`: the cached item read (G) as baked, beside patched copies of it.

A tuning earns its place with a number (STYLE.md); this measures one. Each patch in
bench/variants/ (a unified diff against the baked default project) is applied to a copy of the
baked sources, and the copy is served in place of the baked package (PYTHONPATH), in the same
run, interleaved with H and G as `make bench` serves them. Writes bench/variants.md and prints it.
Runs on the baked project's harness (its bench/ package), which `make bench-variants` puts on
the path:

    python bench/variants.py bench/variants/*.patch
"""

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from bench.items import create_item, item_reads
from bench.postgresql import fresh_database
from bench.report import render
from bench.rounds import measure
from bench.scenarios import CONNECTIONS, Scenario, ceilings
from bench.servers import serve
from bench.service import (
    BIN,
    PACKAGE,
    PROJECT,
    SERVICE,
    prepared_service,
    set_ceiling_value,
    sign_in,
)
from bench.tools import ensure_installed

RESULTS = Path(__file__).resolve().parent / "variants.md"


def main(patches: list[Path]) -> int:
    if not patches:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_installed("wrk", "wrk")
    with prepared_service(fresh_database, CONNECTIONS) as prepared:
        with serve(SERVICE, prepared.env):
            token = sign_in(prepared.password)
            item = create_item(token)
        set_ceiling_value(prepared.env, item)
        [ceiling] = [s for s in ceilings() if s.letter == "H"]
        [baseline] = [s for s in item_reads(item["id"]) if s.letter == "G"]
        variants = [
            variant_of(baseline, f"V{number}", patch)
            for number, patch in enumerate(patches, start=1)
        ]
        results = measure([ceiling, baseline, *variants], prepared.env, token)
    RESULTS.write_text(render(results).replace("`make bench`", "`make bench-variants`", 1))
    print(RESULTS.read_text())
    return 0


def variant_of(baseline: Scenario, letter: str, patch: Path) -> Scenario:
    """G, served from a copy of the baked sources with `patch` applied."""
    copy = PROJECT.parent / "variants" / patch.stem
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(PROJECT / "src", copy / "src")
    subprocess.run(["git", "apply", "-p1", str(patch.resolve())], cwd=copy, check=True)
    env = {**baseline.env, "PYTHONPATH": str(copy / "src")}
    served = subprocess.run(
        [str(BIN / "python"), "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if not served.startswith(str(copy)):  # else the baked package would be measured twice
        raise RuntimeError(f"{patch.name}: the copy is not what is served ({served.strip()})")
    return replace(baseline, letter=letter, title=f"G with {patch.stem}", env=env)


if __name__ == "__main__":
    sys.exit(main([Path(argument) for argument in sys.argv[1:]]))
