"""The process's Redis client and pool, with timeouts from config, behind the guard."""

from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from ...shared.settings import Settings
from ..resilience.circuit_breaker import CircuitBreaker
from .guard import RedisGuard


def connect_redis(settings: Settings) -> RedisGuard | None:
    """One guarded client per process; `None` in embedded mode, where no Redis is configured."""
    if not settings.redis_url:
        return None
    # A plain pool and no socket timeout: the guard gives every call one deadline, and makes a
    # call wait its turn when every connection is busy. redis-py's BlockingConnectionPool and
    # socket timeouts did the same a second time, at about 65,000 instructions per cached read
    # (`make bench-instructions`, docs/adr/0005-measured-tuning.md).
    pool = ConnectionPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_max_connections,
        socket_connect_timeout=settings.redis_connect_timeout_seconds,
        # Failing fast is the point: callers fall back (cache) or fail open (counters).
        # redis-py's default retries up to ten times with backoff; here a connection found
        # broken (Redis restarted since it was pooled) is retried once at once, a timeout never.
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        health_check_interval=30,
    )
    # One breaker for every caller: Redis is one server, and when it is down it is down for all.
    breaker = CircuitBreaker(
        settings.redis_breaker_failure_threshold, settings.redis_breaker_reset_seconds
    )
    return RedisGuard(Redis.from_pool(pool), breaker, settings.redis_socket_timeout_seconds)
