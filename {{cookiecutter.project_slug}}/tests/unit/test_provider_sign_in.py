"""The access check of an identity provider's token: the account is made on first sight, without
a password; it follows the provider's role; deactivated here, it is shut out."""

from uuid import UUID

import pytest

from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction
from {{ cookiecutter.package_name }}.domain.auth.entities import AccessClaims, AccessState, ProviderClaims
from {{ cookiecutter.package_name }}.domain.auth.errors import InvalidAccessTokenError
from {{ cookiecutter.package_name }}.domain.auth.provider_sign_in import ProviderSignIn, provider_user_id
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User, UserProfile
from {{ cookiecutter.package_name }}.domain.users.errors import EmailTakenError

from .auth_fakes import RecordingAccessStates
from .fakes import FakeUnitOfWork, InMemoryCache

ISSUER = "https://id.example.com"
USER_ID = provider_user_id(ISSUER, "subject-1")


def claims(role: Role = Role.USER, email: str | None = "kim@example.com") -> ProviderClaims:
    return ProviderClaims(
        user_id=USER_ID,
        session_id=None,
        issuer=ISSUER,
        role=role,
        email=email,
        full_name="Kim",
    )


class World:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.states = RecordingAccessStates()
        self.profiles: InMemoryCache[UUID, UserProfile] = InMemoryCache()
        self.sign_in = ProviderSignIn(self.states, self.profiles, lambda: self.uow)

    def has_account(self, *, role: Role = Role.USER, is_active: bool = True) -> None:
        user = User(
            id=USER_ID, email="kim@example.com", password_hash=None, role=role, is_active=is_active
        )
        self.uow.committed_users.rows[USER_ID] = user
        self.states.states[USER_ID, None] = AccessState(role, is_active, session_revoked=False)


@pytest.fixture
def world() -> World:
    return World()


async def test_a_new_user_is_provisioned_without_a_password(world: World) -> None:
    actor = await world.sign_in.actor(claims())

    user = world.uow.committed_users.rows[USER_ID]
    assert (actor.user_id, actor.role, actor.session_id) == (USER_ID, Role.USER, None)
    assert (user.email, user.full_name, user.password_hash) == ("kim@example.com", "Kim", None)
    assert world.uow.committed_audit.actions() == [AuditAction.USER_PROVISIONED]


async def test_a_user_without_an_email_claim_gets_an_address_that_takes_no_mail(
    world: World,
) -> None:
    await world.sign_in.actor(claims(email=None))

    assert world.uow.committed_users.rows[USER_ID].email == f"{USER_ID.hex}@provider.invalid"


async def test_an_address_of_another_account_is_not_taken_over(world: World) -> None:
    other = User(email="kim@example.com", password_hash="v1:secret")
    world.uow.committed_users.rows[other.id] = other

    with pytest.raises(EmailTakenError):
        await world.sign_in.actor(claims())

    assert USER_ID not in world.uow.committed_users.rows


async def test_an_account_made_by_a_concurrent_request_is_used(world: World) -> None:
    world.has_account()
    del world.states.states[USER_ID, None]  # this request read before the other one committed

    actor = await world.sign_in.actor(claims())

    assert actor.user_id == USER_ID
    assert world.uow.committed_audit.actions() == []


async def test_a_deactivated_account_is_refused(world: World) -> None:
    world.has_account(is_active=False)

    with pytest.raises(InvalidAccessTokenError):
        await world.sign_in.actor(claims())

    assert world.uow.commits == 0


async def test_the_account_follows_the_role_the_provider_gives(world: World) -> None:
    world.has_account(role=Role.USER)

    actor = await world.sign_in.actor(claims(role=Role.ADMIN))

    assert actor.role is Role.ADMIN
    assert world.uow.committed_users.rows[USER_ID].role is Role.ADMIN
    assert world.uow.committed_audit.actions() == [AuditAction.ROLE_CHANGED]
    assert world.states.forgotten_users == [USER_ID]
    assert world.profiles.forgotten == [USER_ID]


async def test_an_unchanged_account_costs_no_write(world: World) -> None:
    world.has_account(role=Role.ADMIN)

    actor = await world.sign_in.actor(claims(role=Role.ADMIN))

    assert actor.role is Role.ADMIN
    assert world.uow.commits == 0


async def test_claims_of_our_own_tokens_are_refused(world: World) -> None:
    with pytest.raises(InvalidAccessTokenError):
        await world.sign_in.actor(AccessClaims(user_id=USER_ID, session_id=None))
