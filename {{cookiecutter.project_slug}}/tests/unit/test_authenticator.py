"""Every request's check: a valid token is not enough, the user and session must still stand."""

from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.auth.authenticator import Authenticator
from {{ cookiecutter.package_name }}.domain.auth.entities import AccessState
from {{ cookiecutter.package_name }}.domain.auth.errors import InvalidAccessTokenError
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.infrastructure.security.access_tokens import JwtAccessTokens
from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeys

from .auth_fakes import RecordingAccessStates

TOKENS = JwtAccessTokens(
    JwtKeys("HS256", "k" * 48, "k" * 48), issuer="test", audience="test", ttl_seconds=900
)
USER_ID, SESSION_ID = uuid4(), uuid4()


@pytest.fixture
def states() -> RecordingAccessStates:
    return RecordingAccessStates()


def token_for(role: Role = Role.USER) -> str:
    return TOKENS.issue(USER_ID, SESSION_ID, role).token


async def test_the_actor_has_the_current_role_not_the_one_in_the_token(
    states: RecordingAccessStates,
) -> None:
    states.states[USER_ID, SESSION_ID] = AccessState(
        role=Role.ADMIN, is_active=True, session_revoked=False
    )

    actor = await Authenticator(TOKENS, states).authenticate(token_for(Role.USER))

    assert (actor.user_id, actor.role) == (USER_ID, Role.ADMIN)


@pytest.mark.parametrize(
    "state",
    [
        None,
        AccessState(role=Role.USER, is_active=False, session_revoked=False),
        AccessState(role=Role.USER, is_active=True, session_revoked=True),
    ],
    ids=["user deleted", "user deactivated", "session revoked"],
)
async def test_a_valid_token_of_a_lost_access_is_refused(
    states: RecordingAccessStates, state: AccessState | None
) -> None:
    if state is not None:
        states.states[USER_ID, SESSION_ID] = state

    with pytest.raises(InvalidAccessTokenError):
        await Authenticator(TOKENS, states).authenticate(token_for())


async def test_a_bad_token_is_refused_before_any_lookup(states: RecordingAccessStates) -> None:
    with pytest.raises(InvalidAccessTokenError):
        await Authenticator(TOKENS, states).authenticate("garbage")
