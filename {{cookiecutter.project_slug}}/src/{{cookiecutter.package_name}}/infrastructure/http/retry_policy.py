"""When an outbound request is tried again, and how long to wait first.

Only a request that may safely arrive twice is retried: an idempotent method (RFC 9110 9.2.2),
or a POST that carries an `Idempotency-Key` the upstream deduplicates on. Only failures that
another try may cure are retried: the connection failed or timed out, or the upstream answered
502/503/504 (a gateway or an overloaded server), or 429/503 with a `Retry-After` we can wait out.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
# Statuses whose Retry-After says when to come back; 429 is retried only with one.
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Failures of the connection or of the exchange, not of our request: a new try may succeed.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class RetryableResponse(Exception):  # noqa: N818 - carries a response to try again, not a bug
    """An answer worth another try; the last one is handed back to the caller as it is."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"upstream answered {response.status_code}")
        self.response = response


def is_idempotent(method: str, headers: Mapping[str, str]) -> bool:
    method = method.upper()
    if method in IDEMPOTENT_METHODS:
        return True
    return method == "POST" and any(name.lower() == "idempotency-key" for name in headers)


def is_retryable_status(response: httpx.Response) -> bool:
    return response.status_code in RETRYABLE_STATUSES or (
        response.status_code in RETRY_AFTER_STATUSES and "retry-after" in response.headers
    )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int  # the first try included
    backoff_seconds: float
    backoff_max_seconds: float
    retry_after_max_seconds: float

    def wait_before_retry(self, retry: int, error: Exception) -> float | None:
        """Seconds to wait before retry number `retry` (1 for the second try) after `error`,
        or None: do not retry."""
        if isinstance(error, RetryableResponse):
            retry_after = retry_after_seconds(error.response)
            if retry_after is not None:
                return retry_after if retry_after <= self.retry_after_max_seconds else None
            return self.full_jitter(retry)
        if isinstance(error, RETRYABLE_ERRORS):
            return self.full_jitter(retry)
        return None

    def full_jitter(self, retry: int) -> float:
        """A random wait between 0 and the exponential ceiling (AWS Architecture Blog,
        "Exponential Backoff And Jitter"): clients failing together do not return together."""
        ceiling = min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (retry - 1))
        return random.uniform(0, ceiling)  # noqa: S311 - spreading load, not a secret


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The response's `Retry-After` in seconds (RFC 9110 10.2.3: a delay or an HTTP date)."""
    if response.status_code not in RETRY_AFTER_STATUSES:
        return None
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unreadable: as if it were not there
    if moment.tzinfo is None:  # "-0000": UTC, from a sender that does not say so
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
