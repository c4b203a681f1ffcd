"""One circuit breaker per upstream host: a failing mail provider must not stop calls to a
healthy payment API, and a healthy one must not keep a failing one's breaker closed."""

import time

from ...shared.logging import get_logger
from ..resilience.circuit_breaker import BreakerState, CircuitBreaker, Clock
from ..telemetry.metrics import set_circuit_breaker_open

logger = get_logger(__name__)


class HostBreakers:
    def __init__(
        self, failure_threshold: int, reset_seconds: float, clock: Clock = time.monotonic
    ) -> None:
        self._failure_threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._breakers: dict[str, CircuitBreaker] = {}

    def for_host(self, host: str) -> CircuitBreaker:
        breaker = self._breakers.get(host)
        if breaker is None:
            breaker = CircuitBreaker(self._failure_threshold, self._reset_seconds, self._clock)
            self._breakers[host] = breaker
            set_circuit_breaker_open(host, is_open=False)
        return breaker

    def allows_request(self, host: str) -> bool:
        return self.for_host(host).allows_request()

    def record_success(self, host: str) -> None:
        breaker = self.for_host(host)
        was = breaker.state
        breaker.record_success()
        if was is not BreakerState.CLOSED and breaker.state is BreakerState.CLOSED:
            logger.info("upstream circuit closed: the upstream answers again", host=host)
            set_circuit_breaker_open(host, is_open=False)

    def record_failure(self, host: str, error: str) -> None:
        breaker = self.for_host(host)
        was = breaker.state
        breaker.record_failure()
        if was is not BreakerState.OPEN and breaker.state is BreakerState.OPEN:
            # One line per outage, not one per request: the metrics count the requests.
            logger.warning("upstream circuit opened: upstream unavailable", host=host, error=error)
            set_circuit_breaker_open(host, is_open=True)
