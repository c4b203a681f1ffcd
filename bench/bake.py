"""Bake the default answers and install them: the project the template's benchmarks run.

    python bench/bake.py build/bench/example-service     (what the `bench*` make targets run)

Replaces the directory's parent (build/bench), and fails if the defaults bake under another
name than the one given, so that the Makefile and the template cannot disagree unnoticed.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parent.parent


def main(project: Path) -> int:
    shutil.rmtree(project.parent, ignore_errors=True)
    baked = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(project.parent)))
    if baked.resolve() != project.resolve():
        print(f"error: the defaults baked into {baked}, not {project} (see BAKED in the Makefile)")
        return 2
    subprocess.run(["make", "install"], cwd=baked, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
