"""Service clients over in-memory fakes: made, signed in, rotated, revoked and listed, and the
per-request check of their tokens."""

from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction
from {{ cookiecutter.package_name }}.domain.auth.authenticator import Authenticator
from {{ cookiecutter.package_name }}.domain.auth.entities import ClientAccessState, ClientClaims
from {{ cookiecutter.package_name }}.domain.auth.errors import (
    InvalidAccessTokenError,
    InvalidClientError,
    TooManyLoginAttemptsError,
)
from {{ cookiecutter.package_name }}.domain.auth.login_throttle import LoginThrottle, LoginThrottlePolicy
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Permission, Role
from {{ cookiecutter.package_name }}.domain.service_clients.entities import IssuedClientSecret
from {{ cookiecutter.package_name }}.domain.service_clients.errors import (
    PermissionNotGrantableError,
    ServiceClientNotFoundError,
)
from {{ cookiecutter.package_name }}.domain.service_clients.service import ServiceClientService
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import InProcessAttemptCounter

from .auth_world import CLIENT, TOKENS, World

ADMIN = Actor(user_id=uuid4(), role=Role.ADMIN)
READ_USERS = frozenset({Permission.USERS_READ})


@pytest.fixture
def clients(world: World) -> ServiceClientService:
    throttle = LoginThrottle(
        InProcessAttemptCounter(),
        LoginThrottlePolicy(
            max_failures_per_account=3, max_failures_per_client=10, window_seconds=60
        ),
    )
    return ServiceClientService(world.uow, TOKENS, world.states, throttle, clock=world.clock)


def mirror_access_state(world: World, issued: IssuedClientSecret) -> None:
    """What the database's access check would answer for the client, as committed now."""
    client = world.uow.committed_service_clients.rows[issued.client.id]
    world.states.clients[client.id] = ClientAccessState(
        client.permissions, client.secret_id, client.is_revoked
    )


async def test_a_new_client_gets_a_secret_that_is_stored_only_as_a_hash(
    clients: ServiceClientService, world: World
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)

    stored = world.uow.committed_service_clients.rows[issued.client.id]
    assert (stored.name, stored.permissions) == ("billing", READ_USERS)
    assert len(issued.secret) >= 43  # 32 random bytes, URL-safe base64
    assert issued.secret not in stored.secret_hash
    assert issued.secret not in repr(issued)
    assert world.uow.committed_audit.actions() == [AuditAction.SERVICE_CLIENT_CREATED]


async def test_a_client_cannot_be_granted_what_needs_a_user_or_mints_clients(
    clients: ServiceClientService, world: World
) -> None:
    wanted = frozenset({Permission.USERS_READ, Permission.SERVICE_CLIENTS_WRITE})

    with pytest.raises(PermissionNotGrantableError, match="service_clients:write"):
        await clients.create(ADMIN, "greedy", wanted)
    assert world.uow.committed_service_clients.rows == {}


async def test_the_right_secret_gets_a_token_that_names_the_client_and_its_secret(
    clients: ServiceClientService,
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)

    token = await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)

    claims = TOKENS.verify(token.token)
    assert claims == ClientClaims(user_id=issued.client.id, session_id=issued.client.secret_id)
    assert token.expires_in_seconds == 900


@pytest.mark.parametrize("who", ["wrong secret", "unknown id", "not an id", "revoked"])
async def test_every_failed_sign_in_gets_the_same_answer(
    clients: ServiceClientService, world: World, who: str
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)
    client_id, secret = str(issued.client.id), issued.secret
    if who == "wrong secret":
        secret = "not-" + secret
    elif who == "unknown id":
        client_id = str(uuid4())
    elif who == "not an id":
        client_id = "billing"
    else:
        await clients.revoke(ADMIN, issued.client.id)

    with pytest.raises(InvalidClientError) as raised:
        await clients.issue_token(client_id, secret, CLIENT)

    assert raised.value.detail == InvalidClientError().detail
    assert world.uow.committed_audit.actions()[-1] is AuditAction.SERVICE_CLIENT_SIGN_IN_FAILED


async def test_repeated_failures_for_one_client_are_throttled(
    clients: ServiceClientService,
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)
    for _ in range(3):
        with pytest.raises(InvalidClientError):
            await clients.issue_token(str(issued.client.id), "guess", CLIENT)

    with pytest.raises(TooManyLoginAttemptsError):
        await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)


async def test_rotation_ends_the_old_secret_and_its_tokens(
    clients: ServiceClientService, world: World
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)
    old_token = await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)

    rotated = await clients.rotate_secret(ADMIN, issued.client.id)
    mirror_access_state(world, rotated)

    assert rotated.secret != issued.secret
    assert world.states.forgotten_clients == [issued.client.id]
    with pytest.raises(InvalidClientError):
        await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)
    new_token = await clients.issue_token(str(issued.client.id), rotated.secret, CLIENT)
    authenticator = Authenticator(TOKENS, world.states)
    with pytest.raises(InvalidAccessTokenError):
        await authenticator.authenticate(old_token.token)
    assert (await authenticator.authenticate(new_token.token)).user_id == issued.client.id


async def test_a_revoked_client_is_refused_at_its_next_request_and_cannot_be_revoked_again(
    clients: ServiceClientService, world: World
) -> None:
    issued = await clients.create(ADMIN, "billing", READ_USERS)
    token = await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)
    mirror_access_state(world, issued)
    authenticator = Authenticator(TOKENS, world.states)
    assert (await authenticator.authenticate(token.token)).is_client

    await clients.revoke(ADMIN, issued.client.id)
    mirror_access_state(world, issued)

    assert world.states.forgotten_clients == [issued.client.id]
    with pytest.raises(InvalidAccessTokenError):
        await authenticator.authenticate(token.token)
    with pytest.raises(ServiceClientNotFoundError):
        await clients.revoke(ADMIN, issued.client.id)
    with pytest.raises(ServiceClientNotFoundError):
        await clients.rotate_secret(ADMIN, issued.client.id)
    assert world.uow.committed_audit.actions().count(AuditAction.SERVICE_CLIENT_REVOKED) == 1


async def test_a_deleted_client_s_token_is_refused(world: World) -> None:
    token = TOKENS.issue_for_client(uuid4(), uuid4(), READ_USERS)

    with pytest.raises(InvalidAccessTokenError):
        await Authenticator(TOKENS, world.states).authenticate(token.token)


async def test_the_listing_shows_live_clients_newest_first(
    clients: ServiceClientService, world: World
) -> None:
    first = await clients.create(ADMIN, "first", READ_USERS)
    world.clock.advance(1)
    second = await clients.create(ADMIN, "second", READ_USERS)
    world.clock.advance(1)
    revoked = await clients.create(ADMIN, "revoked", READ_USERS)
    await clients.revoke(ADMIN, revoked.client.id)

    page = await clients.list(PageRequest(limit=1))

    assert [client.id for client in page.items] == [second.client.id]
    assert page.total == 2
    rest = await clients.list(PageRequest(limit=1, offset=1))
    assert [client.id for client in rest.items] == [first.client.id]


async def test_a_client_actor_may_do_what_it_was_granted_and_nothing_more(
    clients: ServiceClientService, world: World
) -> None:
    issued = await clients.create(ADMIN, "auditor", frozenset({Permission.AUDIT_READ}))
    mirror_access_state(world, issued)
    token = await clients.issue_token(str(issued.client.id), issued.secret, CLIENT)

    actor = await Authenticator(TOKENS, world.states).authenticate(token.token)

    assert actor.is_client
    assert actor.role is None
    assert actor.may(Permission.AUDIT_READ)
    assert not actor.may(Permission.USERS_READ)
