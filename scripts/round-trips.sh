#!/usr/bin/env bash
# Count the statements PostgreSQL receives per uncached item read and per /users/me.
# Usage: round_trips.sh <project dir>  (log_statement=all for a throwaway database only)
set -euo pipefail
cd "$1"
DB=rt_$RANDOM
LOG=/var/log/postgresql/postgresql-15-main.log
psql -q -U postgres -h 127.0.0.1 -c "CREATE DATABASE $DB"
psql -q -U postgres -h 127.0.0.1 -c "ALTER DATABASE $DB SET log_statement = 'all'"
export DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/$DB CACHE_ENABLED=false SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(48))") ENVIRONMENT=development OTEL_SDK_DISABLED=true OUTBOX_POLL_SECONDS=3600
.venv/bin/example_service migrate >/dev/null 2>&1
echo 'correct horse battery staple' | .venv/bin/example_service create-admin --email rt@example.com --password-stdin >/dev/null 2>&1
.venv/bin/uvicorn --factory example_service.main:create_app --port 8799 --log-level warning & PID=$!
trap 'kill $PID; sleep 1; psql -q -U postgres -h 127.0.0.1 -c "DROP DATABASE $DB WITH (FORCE)"' EXIT
for _ in $(seq 50); do curl -sf localhost:8799/health/live >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf -d 'username=rt@example.com&password=correct horse battery staple' localhost:8799/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ITEM=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"x","price":"1.00"}' localhost:8799/api/v1/items | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for path in /api/v1/items/$ITEM /api/v1/users/me; do
  for _ in 1 2 3; do curl -sf -H "Authorization: Bearer $TOKEN" localhost:8799$path >/dev/null; done  # warm the pool
  before=$(grep -c "@$DB LOG:" $LOG || true)
  for _ in $(seq 10); do curl -sf -H "Authorization: Bearer $TOKEN" localhost:8799$path >/dev/null; done
  sleep 0.5
  after=$(grep -c "@$DB LOG:" $LOG || true)
  echo "$path: $(( (after - before) / 10 )) statements per request:"
  grep "@$DB LOG:" $LOG | tail -n $(( (after - before) / 10 )) | sed 's/.*LOG: *//' | cut -c1-110
done
