"""JSON logs, one object per line, with the trace and request they belong to (structlog)."""

import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

from .request_context import current_span_id, current_trace_id, request_id_var, user_id_var

REDACTED = "[redacted]"
# Keys whose values are credentials. Matching is by substring so `refresh_token`,
# `new_password` and `Authorization` are all caught without listing every spelling.
SENSITIVE_KEY_PARTS = ("password", "token", "secret", "authorization", "cookie", "hash")
QUIET_BELOW_INFO = ("aiosqlite",)
# httpx logs every outbound request's full URL at INFO (a webhook's query may hold its token),
# httpcore every header at DEBUG: the outbound client's spans and metrics say what they would.
QUIET_BELOW_WARNING = ("httpx", "httpcore")


def _is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


def _redact(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: REDACTED if _is_sensitive(str(k)) else _redact(v) for k, v in value.items()}
    return value


def redact_credentials(
    _logger: object, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return {k: REDACTED if _is_sensitive(k) else _redact(v) for k, v in event.items()}


def add_request_context(
    _logger: object, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    event.setdefault("trace_id", current_trace_id())
    event.setdefault("span_id", current_span_id())
    event.setdefault("request_id", request_id_var.get())
    user_id = user_id_var.get()
    if user_id is not None:
        event.setdefault("user_id", user_id)
    return event


def configure_logging(level: str = "INFO") -> None:
    """Route structlog and the standard library (uvicorn, SQLAlchemy, Celery) to JSON on stdout."""
    shared_processors: list[structlog.types.Processor] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_request_context,
        redact_credentials,
        structlog.processors.format_exc_info,
        structlog.processors.EventRenamer("message"),
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared_processors,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Uvicorn installs its own handlers; let its records flow to ours instead. A logger it left
    # without handlers is one it switched off (`serve` turns the access log off: a line per
    # request cost 7% of a cached read's time) and stays off.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        if uvicorn_logger.handlers:
            uvicorn_logger.handlers.clear()
            uvicorn_logger.propagate = True
    # These log every statement with its bound values at DEBUG, and the values include password
    # and token hashes: they stay at INFO whatever LOG_LEVEL says.
    for name in QUIET_BELOW_INFO:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    for name in QUIET_BELOW_WARNING:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
