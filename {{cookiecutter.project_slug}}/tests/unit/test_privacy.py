"""Export and erasure, on fakes: what the API does at once, and what the worker's job erases."""

from dataclasses import dataclass
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from uuid import UUID, uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction
from {{ cookiecutter.package_name }}.domain.auth.entities import RefreshToken, RefreshTokenFamily
from {{ cookiecutter.package_name }}.domain.clock import utc_now
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item
{%- endif %}
from {{ cookiecutter.package_name }}.domain.jobs.entities import Job, JobKind
from {{ cookiecutter.package_name }}.domain.outbox import ERASE_ACCOUNT
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.privacy.erasure import AccountEraser
from {{ cookiecutter.package_name }}.domain.privacy.service import PrivacyService
from {{ cookiecutter.package_name }}.domain.users.entities import User, UserProfile
from {{ cookiecutter.package_name }}.domain.users.errors import (
    OwnAccessChangeError,
    UserNotFoundError,
    WrongPasswordError,
)

from .auth_fakes import FakePasswordHasher, RecordingAccessStates
from .fakes import FakeUnitOfWork, InMemoryCache

PASSWORD = "correct horse battery staple"
EMAIL = "ann@example.com"


@dataclass
class Account:
    user: User
    session_id: UUID
{%- if cookiecutter.include_example_domain == "y" %}
    item_id: UUID
{%- endif %}

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user.id, role=self.user.role)


@dataclass
class World:
    uow: FakeUnitOfWork
    states: RecordingAccessStates
    profiles: InMemoryCache[UUID, UserProfile]
{%- if cookiecutter.include_example_domain == "y" %}
    items: InMemoryCache[UUID, Item]
{%- endif %}

    def privacy(self) -> PrivacyService:
        return PrivacyService(self.uow, FakePasswordHasher(), self.states, self.profiles)

    def eraser(self) -> AccountEraser:
        return AccountEraser(
            lambda: self.uow,
            FakePasswordHasher(),
            self.states,
            self.profiles,
{%- if cookiecutter.include_example_domain == "y" %}
            self.items,
{%- endif %}
        )

    def add_account(self, email: str = EMAIL, role: Role = Role.USER) -> Account:
        """A user with a session, a job{% if cookiecutter.include_example_domain == "y" %} and an item{% endif %}, committed."""
        user = User(email=email, password_hash=f"v1:{PASSWORD}", full_name="Ann", role=role)
        family = RefreshTokenFamily(user_id=user.id)
        token = RefreshToken(family=family, token_hash=uuid4().hex, expires_at=utc_now())
        self.uow.committed_users.rows[user.id] = user
        self.uow.committed_refresh_tokens.families[family.id] = family
        self.uow.committed_refresh_tokens.tokens[token.token_hash] = token
        job = Job(owner_id=user.id, kind=next(iter(JobKind)))
        self.uow.committed_jobs.rows[job.id] = job
{%- if cookiecutter.include_example_domain == "y" %}
        item = Item(owner_id=user.id, name="Ann's bike", description=None, price=Decimal("9.50"))
        self.uow.committed_items.rows[item.id] = item
        return Account(user, family.id, item.id)
{%- else %}
        return Account(user, family.id)
{%- endif %}


@pytest.fixture
def world() -> World:
    return World(
        FakeUnitOfWork(),
        RecordingAccessStates(),
        InMemoryCache(),
{%- if cookiecutter.include_example_domain == "y" %}
        InMemoryCache(),
{%- endif %}
    )


async def test_the_export_holds_everything_about_the_caller_and_is_audited(world: World) -> None:
    ann = world.add_account()
    world.add_account("bob@example.com")  # someone else's data stays out of Ann's export

    export = await world.privacy().export(ann.actor)

    assert export.user == ann.user
    assert [session.id for session in export.sessions] == [ann.session_id]
    assert [job.owner_id for job in export.jobs] == [ann.user.id]
{%- if cookiecutter.include_example_domain == "y" %}
    assert [item.id for item in export.items] == [ann.item_id]
{%- endif %}
    (event,) = world.uow.committed_audit.events
    assert (event.action, event.actor_id, event.subject_id) == (
        AuditAction.DATA_EXPORTED,
        ann.user.id,
        ann.user.id,
    )


async def test_erasing_ones_account_needs_the_current_password(world: World) -> None:
    ann = world.add_account()

    with pytest.raises(WrongPasswordError):
        await world.privacy().erase_own_account(ann.actor, "not my password")

    assert world.uow.committed_users.rows[ann.user.id].is_active
    assert world.uow.committed_outbox.messages == []


async def test_erasure_deactivates_and_signs_out_at_once_then_queues_the_job(
    world: World,
) -> None:
    ann = world.add_account()

    await world.privacy().erase_own_account(ann.actor, PASSWORD)

    assert not world.uow.committed_users.rows[ann.user.id].is_active
    assert world.uow.committed_refresh_tokens.families[ann.session_id].is_revoked
    (message,) = world.uow.committed_outbox.messages
    assert (message.topic, message.payload) == (ERASE_ACCOUNT, {"user_id": str(ann.user.id)})
    assert world.uow.committed_audit.actions() == [
        AuditAction.USER_DEACTIVATED,
        AuditAction.ERASURE_REQUESTED,
    ]
    assert world.states.forgotten_users == [ann.user.id]
    assert world.states.forgotten_sessions == [ann.session_id]
    assert world.profiles.forgotten == [ann.user.id]


async def test_an_admin_erases_others_but_not_themselves(world: World) -> None:
    admin = world.add_account("root@example.com", Role.ADMIN)
    ann = world.add_account()

    with pytest.raises(OwnAccessChangeError):
        await world.privacy().erase_account(admin.actor, admin.user.id)
    with pytest.raises(UserNotFoundError):
        await world.privacy().erase_account(admin.actor, uuid4())
    await world.privacy().erase_account(admin.actor, ann.user.id)

    requested = world.uow.committed_audit.events[-1]
    assert (requested.action, requested.actor_id, requested.subject_id) == (
        AuditAction.ERASURE_REQUESTED,
        admin.user.id,
        ann.user.id,
    )


async def test_the_job_erases_personal_data_and_pseudonymises_the_trail(world: World) -> None:
    ann = world.add_account()
    bob = world.add_account("bob@example.com")
    await world.privacy().export(ann.actor)
    await world.privacy().erase_own_account(ann.actor, PASSWORD)

    assert await world.eraser().erase(ann.user.id)

    erased = world.uow.committed_users.rows[ann.user.id]
    assert erased.is_erased
    assert not erased.is_active
    assert (erased.full_name, EMAIL in erased.email) == (None, False)
    assert erased.password_hash != ann.user.password_hash
    uow = world.uow
    assert all(f.user_id != ann.user.id for f in uow.committed_refresh_tokens.families.values())
    assert all(t.family.id != ann.session_id for t in uow.committed_refresh_tokens.tokens.values())
    assert all(job.owner_id != ann.user.id for job in uow.committed_jobs.rows.values())
    assert await uow.personal_data.sessions(bob.user.id) != []  # others' data stays
{%- if cookiecutter.include_example_domain == "y" %}
    assert ann.item_id not in uow.committed_items.rows
    assert world.items.forgotten == [ann.item_id]
{%- endif %}
    events = uow.committed_audit.events
    assert all(ann.user.id not in (e.actor_id, e.subject_id) for e in events)
    pseudonyms = {e.subject_id for e in events}
    assert len(pseudonyms) == 1  # the user's events stay linked to one another
    assert events[-1].action is AuditAction.ACCOUNT_ERASED
    assert ann.user.id in world.profiles.forgotten
    assert ann.session_id in world.states.forgotten_sessions


async def test_a_second_delivery_of_the_erasure_does_nothing(world: World) -> None:
    ann = world.add_account()
    eraser = world.eraser()
    assert await eraser.erase(ann.user.id)
    commits = world.uow.commits

    assert not await eraser.erase(ann.user.id)
    assert not await eraser.erase(uuid4())

    assert world.uow.commits == commits


async def test_an_erased_account_cannot_be_erased_again_by_an_admin(world: World) -> None:
    admin = world.add_account("root@example.com", Role.ADMIN)
    ann = world.add_account()
    await world.eraser().erase(ann.user.id)

    with pytest.raises(UserNotFoundError):
        await world.privacy().erase_account(admin.actor, ann.user.id)
