"""The `{{ cookiecutter.package_name }}` command: migrate, create an admin, run the service.

Each command imports the adapters it uses inside itself: `serve --workers N` and `worker` must
choose where metrics go before anything imports prometheus-client (metrics_directory.py), and
the worker's probe, `worker-alive`, starts faster for importing next to nothing.
"""

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable, Sequence

import uvicorn
from pydantic import EmailStr, TypeAdapter, ValidationError

from .domain.errors import DomainError
from .infrastructure.queue.heartbeat import is_fresh
from .infrastructure.telemetry.metrics_directory import use_metrics_directory
from .shared.logging import configure_logging, get_logger
from .shared.settings import Settings, SettingsError, load_settings

logger = get_logger(__name__)


class UsageError(Exception):
    """A command cannot run as asked; the message says why in one line."""


def migrate(settings: Settings, _args: argparse.Namespace) -> None:
    # Alembic is for this command alone: `serve` starts faster without it
    # (docs/adr/0005-measured-tuning.md).
    from .infrastructure.database.engine import create_engine
    from .infrastructure.database.migrations import upgrade_to_head

    async def upgrade() -> None:
        engine = create_engine(settings)
        try:
            await upgrade_to_head(engine)
        finally:
            await engine.dispose()

    asyncio.run(upgrade())
    logger.info("database migrated to head")


def create_admin(settings: Settings, args: argparse.Namespace) -> None:
    try:
        email = TypeAdapter(EmailStr).validate_python(args.email)
    except ValidationError as error:
        raise UsageError(f"--email {args.email!r} is not an email address") from error
    password = read_password(from_stdin=args.password_stdin)
    from .infrastructure.database.engine import create_engine
    from .infrastructure.redis.client import connect_redis
    from .main import create_user_service

    async def ensure_admin() -> None:
        engine = create_engine(settings)
        # Redis too, when configured: a promotion must evict the user's cached access state.
        redis = connect_redis(settings)
        try:
            await create_user_service(settings, engine, redis).ensure_admin(email, password)
        finally:
            await engine.dispose()
            if redis is not None:
                await redis.client.aclose()

    asyncio.run(ensure_admin())
    print(f"{email} is an active admin; sign in with the password given.")


def read_password(*, from_stdin: bool) -> str:
    """From a prompt, or the first line of stdin: never from the command line, where every user
    of the machine can read it (`ps`) and the shell's history keeps it."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for the password: give it on stdin, --password-stdin")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise UsageError("the two passwords differ")
    return password


def serve(settings: Settings, args: argparse.Namespace) -> None:
    if args.workers > 1 and not settings.redis_url:
        # The in-process cache and counters would diverge between worker processes.
        raise UsageError("--workers above 1 needs REDIS_URL: in-process state cannot be shared")
    if args.workers > 1:
        # Each worker process counts its own requests; /metrics, answered by any one of them,
        # adds up every process's files. One process keeps its metrics in memory instead, with
        # trace-id exemplars, which the files cannot hold (docs/observability.md).
        use_metrics_directory(settings.metrics_directory / f"serve-{args.port}")
    from .infrastructure.security.jwt_keys import load_jwt_keys

    load_jwt_keys(settings)  # bad key files: one line here, not a traceback from each worker
    uvicorn.run(
        "{{ cookiecutter.package_name }}.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        ws="none",  # no WebSocket routes: spares importing a WebSocket library at start-up
    )


def worker(settings: Settings, args: argparse.Namespace) -> None:
    if not settings.is_embedded_broker and settings.worker_metrics_port:
        # Tasks run in the prefork pool's children, forked from this process: they inherit
        # prometheus-client as this process imported it, which `.worker` below does.
        port = settings.worker_metrics_port
        use_metrics_directory(settings.metrics_directory / f"worker-{port}")
    from .worker import app  # imported here: it loads the settings and the tasks

    # SIGTERM (what Docker and Kubernetes send) becomes Celery's cold shutdown, which starts
    # with the soft shutdown: running tasks get WORKER_SOFT_SHUTDOWN time to finish, and the
    # rest go back to the broker at once rather than after a visibility timeout.
    os.environ.setdefault("REMAP_SIGTERM", "SIGQUIT")
    # --quiet: no start-up banner, so that every line on stdout is a JSON log line.
    options = ["--quiet", "worker", f"--loglevel={settings.log_level}"]
    options += ["--without-mingle", "--without-gossip"]  # broadcast chatter nobody reads
    if settings.is_embedded_broker:
        # The SQLite transport is polling-only and not safe with the prefork pool; one
        # process also runs the schedule, so a small deployment needs nothing else.
        options += ["--pool=solo", "--beat"]
    elif args.beat:
        options.append("--beat")
    if args.concurrency:
        options.append(f"--concurrency={args.concurrency}")
    app.worker_main(options)


def beat(settings: Settings, _args: argparse.Namespace) -> None:
    from .worker import app

    app.start(["--quiet", "beat", f"--loglevel={settings.log_level}"])


def worker_alive(settings: Settings, _args: argparse.Namespace) -> None:
    max_age = 3 * settings.worker_heartbeat_seconds
    if not is_fresh(settings.worker_heartbeat_file, max_age):
        heartbeat = settings.worker_heartbeat_file
        raise UsageError(f"no worker heartbeat in {heartbeat} for {max_age:g}s")
    print("worker alive")


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], None]] = {
    "migrate": migrate,
    "create-admin": create_admin,
    "serve": serve,
    "worker": worker,
    "beat": beat,
    "worker-alive": worker_alive,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="{{ cookiecutter.package_name }}", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the database schema to the latest revision")
    admin_parser = commands.add_parser(
        "create-admin",
        help="create an admin, or promote an existing user; sets the password",
        allow_abbrev=False,  # `--password P` must not pass for `--password-stdin`
    )
    admin_parser.add_argument("--email", required=True)
    admin_parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of asking for it",
    )
    serve_parser = commands.add_parser("serve", help="run the HTTP API")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=1)
    worker_parser = commands.add_parser(
        "worker", help="run the Celery worker and the outbox relay (and the schedule if asked)"
    )
    worker_parser.add_argument(
        "--beat", action="store_true", help="also run the schedule (always in embedded mode)"
    )
    worker_parser.add_argument("--concurrency", type=int, default=0)
    commands.add_parser("beat", help="run the schedule alone (exactly one per deployment)")
    commands.add_parser("worker-alive", help="exit 0 if the worker's heartbeat is fresh")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        COMMANDS[args.command](settings, args)
    except (SettingsError, UsageError, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print(f"error: invalid settings: {_first_problem(error)}", file=sys.stderr)
        return 2
    return 0


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(part) for part in first['loc']).upper()}: {first['msg']}"
