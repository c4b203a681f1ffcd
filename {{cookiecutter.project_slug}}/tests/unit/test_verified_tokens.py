"""Access tokens are verified once and then remembered until they expire, never longer."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import InvalidAccessTokenError
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.infrastructure.security import access_tokens
from {{ cookiecutter.package_name }}.infrastructure.security.access_tokens import JwtAccessTokens
from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeys

SECRET = "s" * 64


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class Decodes:
    """Counts the signature checks (`jwt.decode` calls) the adapter makes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        decode: Callable[..., Any] = jwt.decode

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return decode(*args, **kwargs)

        monkeypatch.setattr(jwt, "decode", counting)  # the module the adapter calls


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tokens(clock: Clock) -> JwtAccessTokens:
    keys = JwtKeys("HS256", SECRET, SECRET)
    return JwtAccessTokens(keys, issuer="i", audience="a", ttl_seconds=900, clock=clock)


def test_a_verified_token_is_not_checked_again(
    tokens: JwtAccessTokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.issue(uuid4(), uuid4(), Role.USER).token
    decodes = Decodes(monkeypatch)

    first, second = tokens.verify(token), tokens.verify(token)

    assert first == second
    assert decodes.count == 1


def test_past_its_expiry_a_token_is_checked_again(
    tokens: JwtAccessTokens, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.issue(uuid4(), uuid4(), Role.USER).token
    tokens.verify(token)
    decodes = Decodes(monkeypatch)

    clock.now += timedelta(seconds=901)
    tokens.verify(token)  # still valid by the real clock PyJWT reads, so accepted, but checked

    assert decodes.count == 1


def test_a_refused_token_is_never_remembered(
    tokens: JwtAccessTokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.issue(uuid4(), uuid4(), Role.USER).token[:-2] + "xx"
    decodes = Decodes(monkeypatch)

    for _ in range(2):
        with pytest.raises(InvalidAccessTokenError):
            tokens.verify(token)

    assert decodes.count == 2


def test_the_memory_is_bounded(tokens: JwtAccessTokens, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_tokens, "MAX_REMEMBERED_TOKENS", 2)
    issued = [tokens.issue(uuid4(), uuid4(), Role.USER).token for _ in range(3)]
    for token in issued:
        tokens.verify(token)
    decodes = Decodes(monkeypatch)

    tokens.verify(issued[0])  # forgotten when the third one started the memory over

    assert decodes.count == 1
