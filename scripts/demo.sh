#!/usr/bin/env bash
# `make demo`: bake the default answers into build/demo, install the service in its own .venv,
# migrate, create an admin, and run its Celery worker and its API in embedded mode (SQLite files,
# no servers). Needs python3 and make only.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly TEMPLATE_DIR=$PWD
readonly OUTPUT_DIR=$TEMPLATE_DIR/build/demo
readonly PORT=8000
readonly ADMIN_EMAIL=admin@example.com

# --overwrite-if-exists re-renders every file but keeps the bake's .venv, .env and database,
# so a second `make demo` starts in seconds.
mkdir -p "$OUTPUT_DIR"
# cookiecutter's Python API returns the project directory (the CLI only prints the hook's output).
.venv/bin/python - "$TEMPLATE_DIR" "$OUTPUT_DIR" <<'PYTHON'
import sys
from pathlib import Path

from cookiecutter.main import cookiecutter

template_dir, output_dir = sys.argv[1:]
project_dir = cookiecutter(template_dir, no_input=True, overwrite_if_exists=True, output_dir=output_dir)
Path(output_dir, "project-dir").write_text(project_dir)
PYTHON
project_dir=$(cat "$OUTPUT_DIR/project-dir")
# The answers are kept in .cruft.json (see the template README); the package name is one of them.
package=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["context"]["cookiecutter"]["package_name"])' "$project_dir/.cruft.json")
cd "$project_dir"

make install
.venv/bin/"$package" migrate
# A fresh password on every run: create-admin promotes the existing admin and sets it again.
admin_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
# On stdin, never in argv: every user of the machine could read it there (`ps`).
printf "%s\n" "$admin_password" | .venv/bin/"$package" create-admin --email "$ADMIN_EMAIL" --password-stdin

# The worker (Celery, the outbox relay and, in embedded mode, the schedule) runs beside the API
# and stops with this script however it ends; its log goes to a file, to keep this one readable.
worker_log=$OUTPUT_DIR/worker.log
.venv/bin/"$package" worker >"$worker_log" 2>&1 &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Its first heartbeat, so that the line below is true: a worker that dies at start fails the demo.
worker_alive=false
for _ in {1..30}; do
  kill -0 "$worker_pid" 2>/dev/null || break
  if .venv/bin/"$package" worker-alive >/dev/null 2>&1; then
    worker_alive=true
    break
  fi
  sleep 1
done
if [[ $worker_alive != true ]]; then
  echo "error: the worker did not start; its log is $worker_log" >&2
  exit 1
fi

echo
echo "Serving $package from $project_dir"
echo "API docs: http://127.0.0.1:$PORT/docs   (Ctrl-C stops it and the worker)"
echo "Worker:   background jobs and the schedule run in process $worker_pid (log: $worker_log)"
echo "Admin:    $ADMIN_EMAIL / $admin_password   (Authorize on the docs page with these)"
echo
# Not `exec`: this shell stays to run the trap that stops the worker.
.venv/bin/"$package" serve --port "$PORT"
