#!/usr/bin/env bash
# What a schedule store whose last run lies ahead of the clock does to beat: a baked project's
# embedded worker (HOUSEKEEPING_INTERVAL_SECONDS=1) runs 10 s three times and the script counts
# beat's sends. First on a new store; then on that store with housekeeping's last run moved
# 2 minutes ahead (as a clock set back, or an earlier worker's entries, would leave it); then on
# a store of its own. Usage: scripts/beat-store-ahead.sh <baked project with make install done>
set -euo pipefail

project=$(cd "$1" && pwd)
python="$project/.venv/bin/python"
package=$(basename "$(dirname "$(ls "$project"/src/*/__main__.py)")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export DATABASE_URL="sqlite+aiosqlite:///$work/db.sqlite3"
export CELERY_BROKER_URL="sqla+sqlite:///$work/broker.sqlite3"
export CELERY_QUEUE="beat-store-ahead"
export SECRET_KEY="beat-store-ahead-$(date +%s)-not-a-secret-but-long-enough"
export ENVIRONMENT=test
export HOUSEKEEPING_INTERVAL_SECONDS=1
export WORKER_SOFT_SHUTDOWN_SECONDS=1
export WORKER_HEARTBEAT_FILE="$work/heartbeat"
export WORKER_METRICS_PORT=0
"$python" -m "$package" migrate >/dev/null

sends_in_ten_seconds() {  # $1: the store
    BEAT_SCHEDULE_FILE="$1" setsid "$python" -m "$package" worker >"$work/worker.log" 2>&1 &
    local worker=$!
    sleep 10
    kill -TERM "$worker"
    wait "$worker" || true
    grep -c "Sending due task housekeeping" "$work/worker.log" || true
}

echo "a new store: $(sends_in_ten_seconds "$work/shared") sends"
"$python" - "$work/shared" <<'PYTHON'
import shelve, sys
from datetime import UTC, datetime, timedelta

with shelve.open(sys.argv[1], writeback=True) as store:
    store["entries"]["housekeeping"].last_run_at = datetime.now(UTC) + timedelta(minutes=2)
PYTHON
echo "the same store, its last run 2 minutes ahead: $(sends_in_ten_seconds "$work/shared") sends"
echo "a store of its own: $(sends_in_ten_seconds "$work/own") sends"
