"""`make bench-variants` applies each of bench/variants/*.patch to the default bake's sources:
a patch that no longer applies would only show up when someone runs the benchmark."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from baking import TEMPLATE_DIR, Bake

PATCHES = sorted((TEMPLATE_DIR / "bench" / "variants").glob("*.patch"))


@pytest.fixture(scope="module")
def default_bake(bake: Bake) -> Path:
    return bake(project_name="Example Service")  # what bench/bake.py bakes


def test_there_are_variants() -> None:
    assert PATCHES


@pytest.mark.parametrize("patch", PATCHES, ids=lambda patch: patch.stem)
def test_each_variant_applies_to_the_default_bake(patch: Path, default_bake: Path) -> None:
    done = subprocess.run(
        ["git", "apply", "--check", "-p1", str(patch)],  # as bench/variants.py applies it
        cwd=default_bake,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
