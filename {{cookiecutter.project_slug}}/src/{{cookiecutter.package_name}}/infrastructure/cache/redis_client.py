"""The process's Redis connection pool, with timeouts from config (redis-py asyncio)."""

from redis.asyncio import Redis

from ...shared.settings import Settings


def create_redis(settings: Settings) -> Redis | None:
    """One client (and pool) per process; `None` in embedded mode, where no Redis is configured."""
    if not settings.redis_url:
        return None
    return Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_socket_timeout_seconds,
        socket_connect_timeout=settings.redis_connect_timeout_seconds,
        # Failing fast is the point: callers fall back (cache) or fail open (limits).
        retry_on_timeout=False,
        health_check_interval=30,
    )
