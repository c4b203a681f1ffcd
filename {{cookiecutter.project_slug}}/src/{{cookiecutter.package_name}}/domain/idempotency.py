"""Idempotency keys: a client that sends a request again gets the first answer, not a second effect.

A request that creates something may carry a key the client chose (`Idempotency-Key`). Its record
is claimed at the start of the unit of work that causes the effect, and the first response is
stored in it before that unit of work commits: the effect and its record commit together or not
at all, so a crash never leaves one without the other (docs/idempotency.md).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from .clock import utc_now
from .errors import ConflictError, InvalidInputError


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A request sent with a key. Keys belong to their caller: two callers never share one."""

    principal_id: UUID
    key: str
    fingerprint: str  # a digest of what was asked (route and body): another request is refused


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    """The first response, as it was sent; every repeat gets the same."""

    status: int
    body: bytes
    location: str | None


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    fingerprint: str
    response: RecordedResponse


class IdempotencyKeyInUseError(ConflictError):
    code = "idempotency-key-in-use"

    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still in progress; retry once it is done."
        )


class IdempotencyKeyReusedError(InvalidInputError):
    code = "idempotency-key-reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was used with a different request; use a new key for it."
        )


class IdempotencyRecords(Protocol):
    """The records of a unit of work: claims and responses share its transaction."""

    async def claim(
        self, request: IdempotentRequest, now: datetime, expires_at: datetime
    ) -> IdempotencyRecord | None:
        """Claims the caller's key for this transaction: `None` when it was free (or its record
        had expired), else the record that holds it. Raises `IdempotencyKeyInUseError` at once,
        without waiting, while another transaction holds the claim."""
        ...

    async def record(self, request: IdempotentRequest, response: RecordedResponse) -> None:
        """Stores the response of the request that claimed the key, before the commit."""
        ...

    async def purge_expired(self, now: datetime, limit: int) -> int:
        """Deletes up to `limit` records that expired before `now`; returns how many."""
        ...


@dataclass(frozen=True, slots=True)
class IdempotencyPolicy:
    ttl_seconds: int  # how long a key is remembered: a repeat after that is a new request
    clock: Callable[[], datetime] = utc_now

    async def claim(
        self, records: IdempotencyRecords, request: IdempotentRequest
    ) -> RecordedResponse | None:
        """The first response when this is a repeat, `None` when the request is to be done now.

        A repeat must be the same request: the same key with another body is a client's
        mistake (422), never silently answered with a response to something else.
        """
        now = self.clock()
        first = await records.claim(request, now, now + timedelta(seconds=self.ttl_seconds))
        if first is None:
            return None
        if first.fingerprint != request.fingerprint:
            raise IdempotencyKeyReusedError()
        return first.response
