"""One user's rows on the real database: read for an export, deleted for an erasure, and
nobody else's touched."""

from datetime import timedelta
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.auth.entities import RefreshToken, RefreshTokenFamily
from {{ cookiecutter.package_name }}.domain.clock import utc_now
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item
{%- endif %}
from {{ cookiecutter.package_name }}.domain.jobs.entities import Job, JobKind
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork


async def add_user_with_data(uow: SqlUnitOfWork) -> tuple[User, RefreshTokenFamily]:
    user = User(email=f"{uuid4().hex}@example.com", password_hash="x")
    family = RefreshTokenFamily(user_id=user.id, created_at=utc_now() - timedelta(hours=2))
    async with uow:
        await uow.users.add(user)
        await uow.refresh_tokens.add_family(family)
        for hours_ago in (2, 1):  # signed in, then refreshed an hour later
            await uow.refresh_tokens.add(
                RefreshToken(
                    family=family,
                    token_hash=uuid4().hex,
                    created_at=utc_now() - timedelta(hours=hours_ago),
                    expires_at=utc_now() + timedelta(days=1),
                )
            )
        await uow.jobs.add(Job(owner_id=user.id, kind=next(iter(JobKind))))
{%- if cookiecutter.include_example_domain == "y" %}
        await uow.items.add(Item(owner_id=user.id, name="bike", price=Decimal("1.00")))
{%- endif %}
        await uow.commit()
    return user, family


async def test_a_session_is_exported_with_when_it_was_last_used(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    user, family = await add_user_with_data(uow)

    async with uow.read_only() as reading:
        (session,) = await reading.personal_data.sessions(user.id)
        jobs = await reading.personal_data.jobs(user.id)
{%- if cookiecutter.include_example_domain == "y" %}
        items = await reading.personal_data.items(user.id)
{%- endif %}

    assert session.id == family.id
    assert timedelta(minutes=59) < session.last_used_at - session.created_at < timedelta(hours=2)
    assert [job.owner_id for job in jobs] == [user.id]
{%- if cookiecutter.include_example_domain == "y" %}
    assert [item.name for item in items] == ["bike"]
{%- endif %}


async def test_deleting_a_users_data_leaves_everyone_elses(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    ann, ann_session = await add_user_with_data(uow)
    bob, _ = await add_user_with_data(uow)

    async with uow:
        assert await uow.personal_data.delete_sessions(ann.id) == [ann_session.id]
        assert await uow.personal_data.delete_jobs(ann.id) == 1
{%- if cookiecutter.include_example_domain == "y" %}
        assert len(await uow.personal_data.delete_items(ann.id)) == 1
{%- endif %}
        await uow.commit()

    async with uow.read_only() as reading:
        assert await reading.personal_data.sessions(ann.id) == []
        assert await reading.personal_data.jobs(ann.id) == []
        assert len(await reading.personal_data.sessions(bob.id)) == 1
        assert len(await reading.personal_data.jobs(bob.id)) == 1
{%- if cookiecutter.include_example_domain == "y" %}
        assert await reading.personal_data.items(ann.id) == []
        assert len(await reading.personal_data.items(bob.id)) == 1
{%- endif %}
