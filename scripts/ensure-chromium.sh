#!/usr/bin/env bash
# Make sure headless Chromium is installed: the template's tests drive the baked service's /docs
# page in it and fail without it. As root on Debian or Ubuntu it comes from the `chromium` package.
set -euo pipefail

if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "ensure-chromium: Chromium is missing; install it (Debian/Ubuntu: apt-get install chromium, as root)" >&2
    exit 1
fi

log=$(mktemp)
echo "ensure-chromium: installing the chromium package"
if ! apt-cache policy chromium 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
rm -f "$log"
chromium --version
