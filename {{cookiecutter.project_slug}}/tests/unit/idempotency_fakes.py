"""An in-memory fake of the idempotency records: a dict of claims, as the table holds them."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Self
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.idempotency import (
    IdempotencyKeyInUseError,
    IdempotencyRecord,
    IdempotentRequest,
    RecordedResponse,
)


@dataclass(frozen=True, slots=True)
class Claim:
    fingerprint: str
    expires_at: datetime
    response: RecordedResponse | None = None  # None: claimed, not yet answered


class InMemoryIdempotencyRecords:
    def __init__(self) -> None:
        self.claims: dict[tuple[UUID, str], Claim] = {}

    def copy(self) -> Self:
        copy = type(self)()
        copy.claims = dict(self.claims)
        return copy

    async def claim(
        self, request: IdempotentRequest, now: datetime, expires_at: datetime
    ) -> IdempotencyRecord | None:
        held = self.claims.get((request.principal_id, request.key))
        if held is None or held.expires_at <= now:
            self.claims[request.principal_id, request.key] = Claim(request.fingerprint, expires_at)
            return None
        if held.response is None:
            raise IdempotencyKeyInUseError()
        return IdempotencyRecord(held.fingerprint, held.response)

    async def record(self, request: IdempotentRequest, response: RecordedResponse) -> None:
        held = self.claims[request.principal_id, request.key]
        self.claims[request.principal_id, request.key] = replace(held, response=response)

    async def purge_expired(self, now: datetime, limit: int) -> int:
        due = [key for key, claim in self.claims.items() if claim.expires_at < now][:limit]
        for key in due:
            del self.claims[key]
        return len(due)
