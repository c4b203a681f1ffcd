"""Which outbound requests are retried, after which failures, and how long the waits are."""

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from {{ cookiecutter.package_name }}.infrastructure.http.retry_policy import (
    RetryableResponse,
    RetryPolicy,
    is_idempotent,
    is_retryable_status,
    retry_after_seconds,
)

POLICY = RetryPolicy(
    attempts=5, backoff_seconds=0.5, backoff_max_seconds=4.0, retry_after_max_seconds=10.0
)
REQUEST = httpx.Request("GET", "http://upstream.test/")


def answer(status: int, **headers: str) -> RetryableResponse:
    return RetryableResponse(httpx.Response(status, headers=headers, request=REQUEST))


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"])
def test_idempotent_methods_may_be_retried(method: str) -> None:
    assert is_idempotent(method, {})


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_other_methods_may_not(method: str) -> None:
    assert not is_idempotent(method, {})


def test_a_post_with_an_idempotency_key_may_be_retried() -> None:
    assert is_idempotent("POST", {"idempotency-key": "42"})
    assert is_idempotent("POST", {"Idempotency-Key": "42"})
    assert not is_idempotent("PATCH", {"Idempotency-Key": "42"})  # only POST is deduplicated


@pytest.mark.parametrize(
    ("status", "headers", "retryable"),
    [
        (502, {}, True),
        (503, {}, True),
        (504, {}, True),
        (500, {}, False),  # the upstream's bug: the same request fails the same way
        (404, {}, False),
        (429, {}, False),  # too many requests, and no word on when to come back
        (429, {"Retry-After": "1"}, True),
        (200, {}, False),
    ],
)
def test_retryable_statuses(status: int, headers: dict[str, str], retryable: bool) -> None:
    assert is_retryable_status(httpx.Response(status, headers=headers)) is retryable


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.ConnectTimeout("")]
)
def test_connection_failures_and_timeouts_are_retried(error: Exception) -> None:
    assert POLICY.wait_before_retry(1, error) is not None


@pytest.mark.parametrize("error", [httpx.UnsupportedProtocol("ftp://"), ValueError("a bug")])
def test_other_failures_are_not(error: Exception) -> None:
    assert POLICY.wait_before_retry(1, error) is None


@pytest.mark.parametrize(("retry", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)])
def test_full_jitter_stays_under_the_exponential_ceiling_and_spreads_over_it(
    retry: int, ceiling: float
) -> None:
    random.seed(retry)  # reproducible draws
    waits = [POLICY.wait_before_retry(retry, httpx.ConnectError("")) for _ in range(500)]

    assert all(wait is not None and 0 <= wait <= ceiling for wait in waits)
    # Full jitter: the whole range is used, not a little noise added to the ceiling.
    assert min(w for w in waits if w is not None) < ceiling * 0.1
    assert max(w for w in waits if w is not None) > ceiling * 0.9


def test_a_retry_after_within_the_cap_is_the_wait() -> None:
    assert POLICY.wait_before_retry(1, answer(503, **{"Retry-After": "3"})) == 3.0
    assert POLICY.wait_before_retry(1, answer(429, **{"Retry-After": "0"})) == 0.0


def test_a_retry_after_beyond_the_cap_is_not_waited_for() -> None:
    assert POLICY.wait_before_retry(1, answer(503, **{"Retry-After": "3600"})) is None


def test_retry_after_as_an_http_date() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    seconds = retry_after_seconds(httpx.Response(503, headers={"Retry-After": later}))

    assert seconds is not None
    assert 25 < seconds <= 30


@pytest.mark.parametrize(
    ("status", "value"), [(503, "soon"), (503, ""), (502, "5")]
)  # unreadable, empty, or on a status where it means nothing
def test_a_retry_after_that_says_nothing_is_ignored(status: int, value: str) -> None:
    assert retry_after_seconds(httpx.Response(status, headers={"Retry-After": value})) is None


def test_a_503_with_an_unreadable_retry_after_backs_off_as_usual() -> None:
    wait = POLICY.wait_before_retry(2, answer(503, **{"Retry-After": "soon"}))

    assert wait is not None
    assert 0 <= wait <= 1.0
