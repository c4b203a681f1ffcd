#!/usr/bin/env bash
# `make demo`: bake the default answers into build/demo, install the service in its own .venv,
# migrate, create an admin and serve it in embedded mode (SQLite file, no servers). Needs python3
# and make only.
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
.venv/bin/"$package" create-admin --email "$ADMIN_EMAIL" --password "$admin_password"

# Upcoming (SPEC section 1, once the service has a Celery worker): start
# `.venv/bin/$package worker` in the background (stopped by a trap on EXIT).

echo
echo "Serving $package from $project_dir"
echo "API docs: http://127.0.0.1:$PORT/docs   (Ctrl-C stops it)"
echo "Admin:    $ADMIN_EMAIL / $admin_password   (Authorize on the docs page with these)"
echo
exec .venv/bin/"$package" serve --port "$PORT"
