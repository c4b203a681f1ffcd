#!/usr/bin/env bash
# Make sure promtool (Prometheus's rule checker) is installed: the template's tests run it on the
# baked alert rules and fail without it. As root on Debian or Ubuntu it comes from the
# `prometheus` package; the Prometheus server in that package is never started.
set -euo pipefail

if command -v promtool >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "ensure-promtool: promtool is missing; install it (Debian/Ubuntu: apt-get install prometheus, as root) or put the Prometheus release's promtool on PATH" >&2
    exit 1
fi

# policy-rc.d answering 101 tells the package's scripts not to start the server it installs.
# Written only for the install, unless the machine already has one.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi
log=$(mktemp)
echo "ensure-promtool: installing the prometheus package for its promtool"
if ! apt-cache policy prometheus 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
rm -f "$log"
promtool --version 2>&1 | sed -n 1p  # not head: under pipefail an early-closed pipe fails with SIGPIPE
