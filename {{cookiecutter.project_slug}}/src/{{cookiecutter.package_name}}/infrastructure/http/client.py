"""The one way the service calls another service over HTTP (SPEC section 8b, docs/outbound.md).

Every outbound adapter (the webhook mailer, the identity provider's keys) sends through
`ResilientHttpClient.request`, which adds what each would otherwise forget: a connect and a read
timeout on every try and a deadline over the whole call, retries for idempotent requests only
(retry_policy.py), a breaker per upstream host (host_breakers.py), and a CLIENT span, a
`traceparent` and metrics per try.
Retrying is stamina's (a maintained wrapper of tenacity); its `on` hook returns the policy's
wait, because stamina's own adds a little jitter to the exponential wait where full jitter draws
the whole wait at random, and a `Retry-After` is the upstream's to choose.
"""

import asyncio
import time
from collections.abc import Mapping

import httpx
import stamina

from ...shared.settings import Settings
from ..telemetry.metrics import observe_http_client_request
from .host_breakers import HostBreakers
from .retry_policy import (
    RETRYABLE_ERRORS,
    RetryableResponse,
    RetryPolicy,
    is_idempotent,
    is_retryable_status,
)
from .spans import client_span, record_failure, record_response


class UpstreamUnavailable(Exception):  # noqa: N818 - a condition, not a programming error
    """No answer to give: the host's breaker is open, the upstream could not be reached, or it
    did not answer within the deadline, after every try the policy allowed."""


class ResilientHttpClient:
    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        breakers: HostBreakers,
        total_timeout_seconds: float,
    ) -> None:
        self._client = client
        self._policy = policy
        self.breakers = breakers
        self._total_timeout_seconds = total_timeout_seconds

    async def request(
        self,
        method: str,
        url: str,
        *,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The upstream's last answer, whatever its status: the caller judges it.

        Raises `UpstreamUnavailable` when there is no answer at all."""
        request = self._client.build_request(method, url, json=json, headers=headers)
        host = request.url.netloc.decode("ascii")
        attempts = self._policy.attempts if is_idempotent(request.method, request.headers) else 1
        try:
            async with asyncio.timeout(self._total_timeout_seconds):
                return await self._send_with_retries(request, host, attempts)
        except RetryableResponse as last:
            return last.response  # retries spent (or not allowed): the caller sees the answer
        except TimeoutError as error:  # the deadline over all tries, not one try's timeout
            raise UpstreamUnavailable(f"{host}: no answer within the deadline") from error
        except RETRYABLE_ERRORS as error:
            raise UpstreamUnavailable(f"{host}: {type(error).__name__}") from error

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    async def _send_with_retries(
        self, request: httpx.Request, host: str, attempts: int
    ) -> httpx.Response:
        tries = 0

        def wait_or_give_up(error: Exception) -> bool | float:
            # stamina's hook: False stops retrying; a number is the wait before the next try.
            wait = self._policy.wait_before_retry(tries, error)
            return False if wait is None else wait

        async for attempt in stamina.retry_context(
            on=wait_or_give_up, attempts=attempts, timeout=None
        ):
            tries = attempt.num
            with attempt:
                return await self._send_once(request, host, resend_count=tries - 1)
        raise AssertionError("unreachable: stamina re-raises the last failure")  # for mypy

    async def _send_once(
        self, request: httpx.Request, host: str, resend_count: int
    ) -> httpx.Response:
        method = request.method
        if not self.breakers.allows_request(host):
            observe_http_client_request(host, method, "circuit_open", 0.0)
            raise UpstreamUnavailable(f"{host}: circuit open")
        started = time.perf_counter()
        with client_span(request, resend_count) as span:
            try:
                response = await self._client.send(request)
            except httpx.TransportError as error:
                failure = "timeout" if isinstance(error, httpx.TimeoutException) else "error"
                observe_http_client_request(host, method, failure, time.perf_counter() - started)
                record_failure(span, type(error).__name__)
                if isinstance(error, RETRYABLE_ERRORS):  # not a bad URL: the upstream failed
                    self.breakers.record_failure(host, type(error).__name__)
                raise
            record_response(span, response)
        observe_http_client_request(
            host, method, str(response.status_code), time.perf_counter() - started
        )
        if response.status_code >= 500:
            self.breakers.record_failure(host, f"HTTP {response.status_code}")
        else:  # a 4xx is the upstream, alive, refusing this request: no outage
            self.breakers.record_success(host)
        if is_retryable_status(response):
            raise RetryableResponse(response)
        return response


def create_http_client(settings: Settings) -> ResilientHttpClient:
    """The process's outbound client; close it (`aclose`) when the process stops."""
    timeout = httpx.Timeout(
        settings.http_client_read_timeout_seconds,  # also bounds each write and pool wait
        connect=settings.http_client_connect_timeout_seconds,
    )
    policy = RetryPolicy(
        attempts=settings.http_client_retry_attempts,
        backoff_seconds=settings.http_client_retry_backoff_seconds,
        backoff_max_seconds=settings.http_client_retry_backoff_max_seconds,
        retry_after_max_seconds=settings.http_client_retry_after_max_seconds,
    )
    breakers = HostBreakers(
        settings.http_client_breaker_failure_threshold, settings.http_client_breaker_reset_seconds
    )
    return ResilientHttpClient(
        httpx.AsyncClient(timeout=timeout),
        policy,
        breakers,
        settings.http_client_total_timeout_seconds,
    )
