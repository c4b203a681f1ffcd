#!/usr/bin/env bash
# Make sure PostgreSQL, Redis and RabbitMQ answer on 127.0.0.1, starting any that do not.
# The baked projects' integration tests need all three and fail (never skip) without them.
set -euo pipefail

readonly TIMEOUT_SECONDS="${SERVICE_TIMEOUT_SECONDS:-60}"

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
rabbitmq_answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

start_postgres() {
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
}
start_redis() {
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
}
start_rabbitmq() {
    rabbitmq-server -detached
    timeout "$TIMEOUT_SECONDS" rabbitmqctl await_startup >/dev/null
}

# ensure NAME CHECK START COMMAND...: run START when CHECK fails, then wait for CHECK.
ensure() {
    local name=$1 check=$2 start=$3
    shift 3
    if "$check"; then
        echo "ensure-services: $name answers"
        return 0
    fi
    local command
    for command in "$@"; do
        if ! command -v "$command" >/dev/null; then
            echo "ensure-services: $name is not answering and '$command' is not installed; start $name on 127.0.0.1 yourself" >&2
            exit 1
        fi
    done
    echo "ensure-services: starting $name"
    "$start" || true  # a failed start shows up as the wait below timing out, with its own message
    local waited=0
    until "$check"; do
        if [ "$waited" -ge "$TIMEOUT_SECONDS" ]; then
            echo "ensure-services: $name did not answer within ${TIMEOUT_SECONDS}s of starting it" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "ensure-services: $name answers (after ${waited}s)"
}

ensure PostgreSQL postgres_answers start_postgres pg_isready pg_ctlcluster
ensure Redis redis_answers start_redis redis-cli redis-server
ensure RabbitMQ rabbitmq_answers start_rabbitmq rabbitmq-server rabbitmqctl
