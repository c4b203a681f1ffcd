"""Service configuration, read once from the environment and `.env` (pydantic-settings)."""

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - production refuses it
MIN_SECRET_KEY_BYTES = 32
EMBEDDED_DATABASE_URL = "sqlite+aiosqlite:///./var/{{ cookiecutter.package_name }}.sqlite3"
# kombu's SQLAlchemy transport over a SQLite file: a broker that needs no server.
EMBEDDED_BROKER_URL = "sqla+sqlite:///./var/{{ cookiecutter.package_name }}-broker.sqlite3"
# The identity provider's algorithms: asymmetric only, since the provider publishes its keys.
ProviderAlgorithm = Literal["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
DEFAULT_PROVIDER_ALGORITHMS: tuple[ProviderAlgorithm, ...] = ("RS256",)
JwtAlgorithm = Literal[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384"
]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """The settings cannot work; the message says why in one line (the CLI prints it)."""


class InsecureSettingsError(SettingsError):
    """The settings are unsafe for production; the message says why in one line."""


class Settings(BaseSettings):
    """Every knob of the service. Names are the environment variables (unprefixed)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    debug: bool = False
    secret_key: str = DEFAULT_SECRET_KEY
    log_level: str = "INFO"
    # Bounds of every request (docs/operations.md, "Bounds"): past the deadline it is cancelled
    # and answered with a 504 problem; a larger body is a 413 problem, refused unread.
    request_timeout_seconds: float = Field(default=5.0, gt=0)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # Strict-Transport-Security's max-age; 0 sends none (set it once the service is HTTPS only).
    hsts_seconds: int = Field(default=0, ge=0)
    # The docs pages and the OpenAPI document; unset, served everywhere but in production.
    docs_enabled: bool | None = None

    database_url: str = EMBEDDED_DATABASE_URL
    database_pool_size: int = Field(default=10, ge=1)
    # No overflow by default: an overflow connection is opened for a burst and closed as soon
    # as it is returned, so under load above the pool size every request paid a connect
    # (measured: uncached reads at 0.58 of their throughput; docs/database.md).
    database_max_overflow: int = Field(default=0, ge=0)
    # How long a request waits for a pooled connection, and for a new one to open; below the
    # request deadline, so that a saturated pool or an unreachable server answers in time.
    database_pool_timeout_seconds: float = Field(default=2.0, gt=0)
    database_connect_timeout_seconds: float = Field(default=2.0, gt=0)
    # PostgreSQL cancels a statement running longer (its `statement_timeout`).
    database_statement_timeout_seconds: float = Field(default=3.0, gt=0)
    database_pool_recycle_seconds: int = Field(default=1800, ge=-1)
    database_echo: bool = False

    redis_url: str | None = None
    redis_key_prefix: str = "{{ cookiecutter.project_slug }}"
    # Short on purpose: a slow Redis must cost a request milliseconds, not seconds.
    redis_socket_timeout_seconds: float = Field(default=0.25, gt=0)
    redis_connect_timeout_seconds: float = Field(default=0.25, gt=0)
    # Per process. Beyond it a call waits for a free connection (within the timeouts above).
    redis_max_connections: int = Field(default=50, ge=1)
    # After this many Redis failures in a row, the cache and the login throttle stop asking
    # Redis for the reset time, then let one probe through (docs/caching.md).
    redis_breaker_failure_threshold: int = Field(default=5, ge=1)
    redis_breaker_reset_seconds: float = Field(default=10.0, gt=0)

    # Server mode: redis://... or amqp://...; unset, the embedded broker (EMBEDDED_BROKER_URL).
    celery_broker_url: str | None = None
    # The queue every task goes through; one per deployment (tests use one per run).
    celery_queue: str = "{{ cookiecutter.package_name }}"
    # A task past its soft limit is told to stop (and fails its job); past the hard one, killed.
    task_soft_time_limit_seconds: int = Field(default=60, gt=0)
    task_time_limit_seconds: int = Field(default=90, gt=0)
    # What a stopping worker gives its running tasks, capped by the hard limit. Celery sleeps
    # it out whole whenever a task is running, even one that ends sooner (docs/jobs.md).
    worker_soft_shutdown_seconds: float = Field(default=30.0, ge=0)
    # A failed task is retried after a random wait of up to base * 2**attempt (full jitter).
    task_max_retries: int = Field(default=5, ge=0)
    task_retry_backoff_seconds: float = Field(default=2.0, gt=0)
    task_retry_backoff_max_seconds: float = Field(default=300.0, gt=0)
    # Redis only: a task unacknowledged this long is delivered again. Longer than any task.
    broker_visibility_timeout_seconds: int = Field(default=3600, gt=0)
    # How often an idle relay looks for messages nobody woke it for (another process wrote).
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_batch_size: int = Field(default=100, ge=1)
    # Sent outbox messages and handled-message marks are kept this long, then purged.
    outbox_retention_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    housekeeping_interval_seconds: int = Field(default=3600, gt=0)
    # Where the schedule (beat) remembers when it last ran each entry; unset, a file named
    # after the queue in the temporary directory. Two schedules must never share one: Python's
    # fallback store (dbm.dumb) takes no lock.
    beat_schedule_file: str | None = None
    # A job still `running` this long after it started has lost its worker (killed, or past
    # the hard time limit): housekeeping runs it again. Longer than any task may take.
    job_stalled_after_seconds: int = Field(default=600, gt=0)
    housekeeping_batch_size: int = Field(default=1000, ge=1)
    # The worker touches this file while it is healthy; `worker-alive` (its probe) reads it.
    worker_heartbeat_file: str = "/tmp/{{ cookiecutter.package_name }}-worker.heartbeat"  # noqa: S108
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    # The worker's metrics page (an HTTP server in its main process); port 0: none.
    worker_metrics_host: str = "127.0.0.1"
    worker_metrics_port: int = Field(default=9101, ge=0, le=65535)
    # Where `serve --workers N` and the prefork worker keep each process's metrics, one
    # subdirectory per command (docs/observability.md, "Metrics"). Emptied when it starts.
    metrics_directory: Path = Path(tempfile.gettempdir()) / "{{ cookiecutter.package_name }}-metrics"

    # Never `none`; HS* signs with SECRET_KEY, the others need the two key files.
    jwt_algorithm: JwtAlgorithm = "HS256"
    jwt_issuer: str = "{{ cookiecutter.project_slug }}"
    jwt_audience: str = "{{ cookiecutter.project_slug }}"
    jwt_private_key_file: str | None = None
    jwt_public_key_file: str | None = None
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    refresh_reuse_grace_seconds: int = Field(default=0, ge=0)
    # argon2id cost; the defaults are RFC 9106's second recommendation. Stored hashes made
    # with other values are re-made at their owner's next sign-in.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=64)
    password_hash_parallelism: int = Field(default=4, ge=1)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_client: int = Field(default=20, ge=1)
    login_failure_window_seconds: int = Field(default=900, gt=0)
    # Requests a minute per signed-in user (per client address without a token) on /api/v1;
    # 0 switches the limit off.
    rate_limit_per_minute: int = Field(default=100, ge=0)
    # How long a mailed password reset token works (it works once).
    password_reset_ttl_seconds: int = Field(default=1800, gt=0)

    cache_ttl_seconds: int = Field(default=300, gt=0)
    # Off only to measure or debug the database path: every read then goes to the database.
    cache_enabled: bool = True
    cache_max_entries: int = Field(default=10_000, ge=1)  # the in-process cache's bound
    # How long an `Idempotency-Key` is remembered; housekeeping purges it afterwards.
    idempotency_key_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Calls to other services (infrastructure/http/, docs/outbound.md). Connect and read bound
    # each try; the total bounds the whole call: its retries and the waits between them.
    http_client_connect_timeout_seconds: float = Field(default=2.0, gt=0)
    http_client_read_timeout_seconds: float = Field(default=5.0, gt=0)
    http_client_total_timeout_seconds: float = Field(default=15.0, gt=0)
    # Tries of an idempotent request, the first included, a random wait of up to
    # base * 2**retry between them (full jitter). Other requests are tried once.
    http_client_retry_attempts: int = Field(default=3, ge=1)
    http_client_retry_backoff_seconds: float = Field(default=0.2, gt=0)
    http_client_retry_backoff_max_seconds: float = Field(default=5.0, gt=0)
    # An upstream's `Retry-After` (429, 503) is waited for up to this; a longer one is not.
    http_client_retry_after_max_seconds: float = Field(default=10.0, ge=0)
    # One breaker per upstream host, as REDIS_BREAKER_* for Redis.
    http_client_breaker_failure_threshold: int = Field(default=5, ge=1)
    http_client_breaker_reset_seconds: float = Field(default=30.0, gt=0)
    # Set, the worker posts every email there as JSON (infrastructure/mail/webhook_mailer.py);
    # unset, it logs them.
    mail_webhook_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    # Set, tokens signed by this identity provider are accepted beside our own (docs/auth.md,
    # "Tokens from your identity provider"); the keys' URL is discovered from the issuer's
    # metadata unless OIDC_JWKS_URL names it. The role claim is a dotted path into the token.
    oidc_issuer: str | None = Field(default=None, pattern=r"^https?://\S+$")
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    oidc_algorithms: Annotated[list[ProviderAlgorithm], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_PROVIDER_ALGORITHMS), min_length=1
    )
    oidc_roles_claim: str = Field(default="roles", min_length=1)
    oidc_admin_role: str = Field(default="admin", min_length=1)  # the provider's name for it

    @field_validator("cors_origins", "oidc_algorithms", mode="before")
    @classmethod
    def split_comma_separated(cls, value: object) -> object:
        # Comma-separated lists in the environment, which read better than JSON.
        if isinstance(value, str):
            return [entry.strip() for entry in value.split(",") if entry.strip()]
        return value

    @model_validator(mode="after")
    def tasks_end_before_redelivery(self) -> "Settings":
        # Otherwise Redis hands a task that is still running to a second worker.
        if self.broker_visibility_timeout_seconds <= self.task_time_limit_seconds:
            raise ValueError(
                "BROKER_VISIBILITY_TIMEOUT_SECONDS must exceed TASK_TIME_LIMIT_SECONDS"
            )
        if self.job_stalled_after_seconds <= self.task_time_limit_seconds:
            raise ValueError("JOB_STALLED_AFTER_SECONDS must exceed TASK_TIME_LIMIT_SECONDS")
        if self.task_soft_time_limit_seconds >= self.task_time_limit_seconds:
            raise ValueError("TASK_SOFT_TIME_LIMIT_SECONDS must be below TASK_TIME_LIMIT_SECONDS")
        if self.oidc_issuer is not None and not self.oidc_audience:
            raise ValueError("OIDC_ISSUER needs OIDC_AUDIENCE, the audience its tokens must name")
        return self

    @property
    def broker_url(self) -> str:
        return self.celery_broker_url or EMBEDDED_BROKER_URL

    @property
    def is_rabbitmq_broker(self) -> bool:
        return self.broker_url.startswith("amqp")

    @property
    def is_embedded_broker(self) -> bool:
        return self.broker_url.startswith("sqla+")

    @property
    def is_embedded_database(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def serves_api_docs(self) -> bool:
        if self.docs_enabled is None:
            return self.environment is not Environment.PRODUCTION
        return self.docs_enabled

    def production_problems(self) -> list[str]:
        """Why these settings must not serve production traffic (empty when they may)."""
        if self.environment is not Environment.PRODUCTION:
            return []
        problems = []
        if self.secret_key == DEFAULT_SECRET_KEY:
            problems.append("SECRET_KEY is the development default")
        elif len(self.secret_key.encode()) < MIN_SECRET_KEY_BYTES:
            problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes")
        if self.debug:
            problems.append("DEBUG is on")
        if self.oidc_issuer is not None and not self.oidc_issuer.startswith("https://"):
            problems.append("OIDC_ISSUER is not https: its keys could be tampered with")
        if "*" in self.cors_origins:
            problems.append("CORS_ORIGINS is *; name the origins")
{%- if cookiecutter.database == "postgresql" %}
        if self.is_embedded_database:
            problems.append("DATABASE_URL points at SQLite; production needs PostgreSQL")
{%- endif %}
        return problems


def load_settings(**overrides: object) -> Settings:
    """Read the settings and refuse unsafe production ones, naming every reason on one line."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    problems = settings.production_problems()
    if problems:
        raise InsecureSettingsError("refusing to start in production: " + "; ".join(problems))
    return settings
