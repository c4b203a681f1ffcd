"""Single-flight: one load per key at a time, shared by everyone who asks meanwhile."""

import asyncio

import pytest

from {{ cookiecutter.package_name }}.infrastructure.cache.single_flight import Flight, SingleFlight


class SlowLoader:
    """Counts its loads; each waits until the test releases it."""

    def __init__(self) -> None:
        self.loads = 0
        self.release = asyncio.Event()
        self.flights: list[Flight] = []

    async def __call__(self, flight: Flight) -> str:
        self.loads += 1
        number = self.loads
        self.flights.append(flight)
        await self.release.wait()
        return f"value {number}"


async def test_concurrent_callers_share_one_load() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    callers = [asyncio.create_task(flights.run("key", loader)) for _ in range(50)]
    await asyncio.sleep(0)

    loader.release.set()

    assert await asyncio.gather(*callers) == ["value 1"] * 50
    assert loader.loads == 1


async def test_a_later_caller_loads_again() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    loader.release.set()

    assert await flights.run("key", loader) == "value 1"
    assert await flights.run("key", loader) == "value 2"


async def test_different_keys_load_independently() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    loader.release.set()

    await asyncio.gather(flights.run("a", loader), flights.run("b", loader))

    assert loader.loads == 2


async def test_a_failed_load_fails_every_waiter_and_is_not_remembered() -> None:
    flights: SingleFlight[str, str] = SingleFlight()

    async def broken(_flight: Flight) -> str:
        await asyncio.sleep(0)
        raise ConnectionError("database down")

    results = await asyncio.gather(
        flights.run("key", broken), flights.run("key", broken), return_exceptions=True
    )

    assert [type(result) for result in results] == [ConnectionError, ConnectionError]
    loader = SlowLoader()
    loader.release.set()
    assert await flights.run("key", loader) == "value 1"


async def test_supersede_marks_the_flight_and_later_callers_start_afresh() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    early = asyncio.create_task(flights.run("key", loader))
    await asyncio.sleep(0)

    flights.supersede("key")
    late = asyncio.create_task(flights.run("key", loader))
    await asyncio.sleep(0)
    loader.release.set()

    assert (await early, await late) == ("value 1", "value 2")
    assert [flight.superseded for flight in loader.flights] == [True, False]


async def test_a_cancelled_caller_does_not_cancel_the_shared_load() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    leaving = asyncio.create_task(flights.run("key", loader))
    staying = asyncio.create_task(flights.run("key", loader))
    await asyncio.sleep(0)

    leaving.cancel()
    loader.release.set()

    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await staying == "value 1"


async def test_a_caller_that_saw_newer_stamps_does_not_join_an_older_load() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    loader = SlowLoader()
    old = asyncio.create_task(flights.run("key", loader, stamps="s1"))
    same = asyncio.create_task(flights.run("key", loader, stamps="s1"))
    await asyncio.sleep(0)
    newer = asyncio.create_task(flights.run("key", loader, stamps="s2"))
    await asyncio.sleep(0)

    loader.release.set()

    assert list(await asyncio.gather(old, same, newer)) == ["value 1", "value 1", "value 2"]
