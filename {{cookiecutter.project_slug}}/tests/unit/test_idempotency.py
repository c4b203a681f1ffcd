"""The rules of idempotency keys, on fakes: replay, another request, in progress, expiry, purge."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.housekeeping import Housekeeping, HousekeepingPolicy
from {{ cookiecutter.package_name }}.domain.idempotency import (
    IdempotencyKeyInUseError,
    IdempotencyKeyReusedError,
    IdempotencyPolicy,
    IdempotentRequest,
    RecordedResponse,
)

from .fakes import FakeUnitOfWork
from .idempotency_fakes import InMemoryIdempotencyRecords

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
DAY = 24 * 3600
CREATED = RecordedResponse(status=201, body=b'{"id": "1"}', location="/api/v1/things/1")
ANN = uuid4()


def request(key: str = "k-1", fingerprint: str = "body-a") -> IdempotentRequest:
    return IdempotentRequest(principal_id=ANN, key=key, fingerprint=fingerprint)


async def answered(
    records: InMemoryIdempotencyRecords, first: IdempotentRequest, at: datetime = NOW
) -> None:
    assert await IdempotencyPolicy(DAY, clock=lambda: at).claim(records, first) is None
    await records.record(first, CREATED)


async def test_a_first_request_goes_ahead_and_its_repeat_gets_the_first_response() -> None:
    records = InMemoryIdempotencyRecords()
    await answered(records, request())

    repeat = await IdempotencyPolicy(DAY, clock=lambda: NOW).claim(records, request())

    assert repeat == CREATED


async def test_the_same_key_with_another_request_is_refused() -> None:
    records = InMemoryIdempotencyRecords()
    await answered(records, request(fingerprint="body-a"))

    with pytest.raises(IdempotencyKeyReusedError):
        await IdempotencyPolicy(DAY).claim(records, request(fingerprint="body-b"))


async def test_a_repeat_while_the_first_is_in_progress_is_a_conflict() -> None:
    records = InMemoryIdempotencyRecords()
    policy = IdempotencyPolicy(DAY, clock=lambda: NOW)
    assert await policy.claim(records, request()) is None  # claimed, not yet answered

    with pytest.raises(IdempotencyKeyInUseError):
        await policy.claim(records, request())


async def test_keys_belong_to_their_caller() -> None:
    records = InMemoryIdempotencyRecords()
    await answered(records, request())
    bob = IdempotentRequest(principal_id=uuid4(), key="k-1", fingerprint="body-a")

    assert await IdempotencyPolicy(DAY, clock=lambda: NOW).claim(records, bob) is None


async def test_a_key_past_its_lifetime_is_a_new_request() -> None:
    records = InMemoryIdempotencyRecords()
    await answered(records, request(fingerprint="body-a"))
    a_day_later = IdempotencyPolicy(DAY, clock=lambda: NOW + timedelta(seconds=DAY))

    assert await a_day_later.claim(records, request(fingerprint="body-b")) is None
    assert records.claims[ANN, "k-1"].fingerprint == "body-b"


async def test_housekeeping_purges_expired_records_in_batches() -> None:
    uow = FakeUnitOfWork()
    two_days_ago = NOW - timedelta(days=2)
    for index in range(3):
        await answered(uow.committed_idempotency_records, request(f"old-{index}"), two_days_ago)
    await answered(uow.committed_idempotency_records, request("fresh"))  # expires tomorrow

    purged = await Housekeeping(
        lambda: uow, HousekeepingPolicy(retention_seconds=DAY, batch_size=2), clock=lambda: NOW
    ).run()

    assert purged.idempotency_records == 3
    assert list(uow.committed_idempotency_records.claims) == [(ANN, "fresh")]
