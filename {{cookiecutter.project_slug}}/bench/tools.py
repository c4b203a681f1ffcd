"""The command-line tools the benchmark drives, installed from Debian's packages when missing."""

import os
import shutil
import subprocess

APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


def ensure_installed(command: str, package: str) -> None:
    """Install `package` for `command` as root on Debian; anyone else is told the one command."""
    if shutil.which(command) is not None:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"error: {command} is not installed; run: sudo apt-get install {package}")
    print(f"bench: {command} is not installed; installing Debian's {package}", flush=True)
    # A fresh machine or image may have no package lists yet: update only when the install fails.
    if not _apt_get("install", "-y", package):
        _apt_get("update")
        if not _apt_get("install", "-y", package):
            raise SystemExit(f"error: apt-get install {package} failed; install {command} yourself")


def _apt_get(*arguments: str) -> bool:
    done = subprocess.run(
        ["apt-get", "-qq", *arguments], env=APT_ENV, capture_output=True, text=True, check=False
    )
    return done.returncode == 0
