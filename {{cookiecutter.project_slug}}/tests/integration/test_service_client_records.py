"""Service clients in SQL: stored and read back, listed by keyset, and their per-request access
state."""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.auth.entities import ClientAccessState
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import new_client_secret
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Permission
from {{ cookiecutter.package_name }}.domain.service_clients.entities import ServiceClient
from {{ cookiecutter.package_name }}.infrastructure.database.access_states import SqlAccessStates
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

GRANT = frozenset({Permission.USERS_READ, Permission.AUDIT_READ})


def unit_of_work(engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factories(engine))


async def add_client(engine: AsyncEngine, name: str, minutes_ago: int = 0) -> ServiceClient:
    _secret, secret_hash = new_client_secret()
    client = ServiceClient(
        name=name,
        permissions=GRANT,
        secret_hash=secret_hash,
        created_at=utc_now() - timedelta(minutes=minutes_ago),
    )
    async with unit_of_work(engine) as uow:
        await uow.service_clients.add(client)
        await uow.commit()
    return client


async def test_a_client_reads_back_as_it_was_stored(engine: AsyncEngine) -> None:
    client = await add_client(engine, "billing")

    async with unit_of_work(engine).read_only() as uow:
        found = await uow.service_clients.get(client.id)

    assert found == client


async def test_rotation_and_revocation_show_in_the_access_state(engine: AsyncEngine) -> None:
    client = await add_client(engine, "billing")
    states = SqlAccessStates(engine)
    assert await states.get_client(client.id) == ClientAccessState(GRANT, client.secret_id, False)

    rotated = client.with_new_secret(new_client_secret()[1]).revoked(utc_now())
    async with unit_of_work(engine) as uow:
        await uow.service_clients.update(rotated)
        await uow.commit()

    state = await states.get_client(client.id)
    assert state == ClientAccessState(GRANT, rotated.secret_id, is_revoked=True)
    assert not state.grants_access(rotated.secret_id)
    assert await states.get_client(rotated.secret_id) is None  # no such client


async def test_the_listing_pages_live_clients_newest_first(engine: AsyncEngine) -> None:
    oldest = await add_client(engine, "oldest", minutes_ago=3)
    middle = await add_client(engine, "middle", minutes_ago=2)
    revoked = await add_client(engine, "revoked", minutes_ago=1)
    async with unit_of_work(engine) as uow:
        await uow.service_clients.update(revoked.revoked(utc_now()))
        await uow.commit()

    async with unit_of_work(engine).read_only() as uow:
        first = await uow.service_clients.list_live(PageRequest(limit=1))
        assert first.next is not None
        rest = await uow.service_clients.list_live(PageRequest(limit=1, after=first.next))

    assert ([c.id for c in first.items], first.total) == ([middle.id], 2)
    assert ([c.id for c in rest.items], rest.next) == ([oldest.id], None)
