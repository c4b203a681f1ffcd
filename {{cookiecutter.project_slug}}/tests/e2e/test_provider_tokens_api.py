"""Access tokens from the identity provider (OIDC_ISSUER), against a provider on loopback: its
metadata and keys are fetched over HTTP, as they would be from Keycloak or Entra ID."""

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from {{ cookiecutter.package_name }}.api.problems import PROBLEM_TYPE_PREFIX
from {{ cookiecutter.package_name }}.infrastructure.security import provider_keys
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..identity_provider import AUDIENCE, IdentityProvider, SigningKey
from ..tokens import hs256_token, unsigned_token
from .auth import AUTH, USERS, app_with, bearer, client_for, register, sign_in
from .problems import assert_problem

ADMIN_ROLE = "service-admin"


class Clock:
    """The key cache's clock, moved by the test: a minute passes without anyone waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def identity_provider() -> Iterator[IdentityProvider]:
    provider = IdentityProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(provider_keys, "monotonic", clock)
    return clock


@pytest.fixture
def settings(settings: Settings, identity_provider: IdentityProvider) -> Settings:
    return settings.model_copy(
        update={
            "oidc_issuer": identity_provider.issuer,
            "oidc_audience": AUDIENCE,
            "oidc_roles_claim": "realm_access.roles",
            "oidc_admin_role": ADMIN_ROLE,
            # Tries once: a provider that is down is found out without retries' waits.
            "http_client_retry_attempts": 1,
        }
    )


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get(f"{USERS}/me", headers=bearer(token))


async def test_a_provider_token_is_accepted_and_its_user_provisioned(
    client: httpx.AsyncClient, identity_provider: IdentityProvider
) -> None:
    first = await me(client, identity_provider.token())
    again = await me(client, identity_provider.token(jti="another token, same user"))

    assert first.status_code == 200, first.text
    profile = first.json()
    assert profile["email"] == "kim@example.com"
    assert profile["full_name"] == "Kim Provider"
    assert profile["role"] == "user"
    assert again.json()["id"] == profile["id"]  # provisioned once
    # The metadata once (discovery), the keys once: the second token used the cached key.
    assert identity_provider.requested_paths == ["/.well-known/openid-configuration", "/keys"]


async def test_the_provisioned_user_has_no_password_to_sign_in_with(
    client: httpx.AsyncClient, identity_provider: IdentityProvider
) -> None:
    assert (await me(client, identity_provider.token())).status_code == 200

    response = await client.post(
        f"{AUTH}/token", data={"username": "kim@example.com", "password": "any password at all"}
    )

    assert_problem(response, 401)


async def test_the_provisioned_user_cannot_set_a_password_without_one(
    client: httpx.AsyncClient, identity_provider: IdentityProvider
) -> None:
    token = identity_provider.token()
    assert (await me(client, token)).status_code == 200

    response = await client.post(
        f"{USERS}/me/password",
        json={"current_password": "any password at all", "new_password": "a sturdy new passphrase"},
        headers=bearer(token),
    )

    assert assert_problem(response, 422)["type"] == PROBLEM_TYPE_PREFIX + "wrong-password"


async def test_an_address_of_a_password_account_is_not_taken_over(
    client: httpx.AsyncClient, identity_provider: IdentityProvider
) -> None:
    await register(client, "kim@example.com")

    response = await me(client, identity_provider.token())

    assert_problem(response, 409)
    own = (await sign_in(client, "kim@example.com"))["access_token"]
    assert (await me(client, own)).json()["full_name"] is None  # untouched


async def test_the_role_comes_from_the_configured_claim(
    client: httpx.AsyncClient, identity_provider: IdentityProvider
) -> None:
    admin = identity_provider.token(realm_access={"roles": [ADMIN_ROLE, "offline_access"]})

    assert (await me(client, admin)).json()["role"] == "admin"
    listing = await client.get(USERS, headers=bearer(admin))
    assert listing.status_code == 200
    # Demoted at the provider: the next token's role holds, for the account too.
    demoted = identity_provider.token(jti="after the demotion")
    assert (await client.get(USERS, headers=bearer(demoted))).status_code == 403
    assert (await me(client, demoted)).json()["role"] == "user"


async def test_a_deactivated_provider_user_is_refused(
    client: httpx.AsyncClient, identity_provider: IdentityProvider, admin_client: httpx.AsyncClient
) -> None:
    token = identity_provider.token()
    user_id = (await me(client, token)).json()["id"]

    deactivated = await admin_client.patch(f"{USERS}/{user_id}", json={"is_active": False})

    assert deactivated.status_code == 200
    assert_problem(await me(client, token), 401)


def _forgeries(provider: IdentityProvider) -> dict[str, Callable[[], str]]:
    key = provider.published[0]
    claims: dict[str, Any] = {"iss": provider.issuer, "aud": AUDIENCE, "sub": "mallory"}
    return {
        "wrong issuer": lambda: provider.token(iss="https://evil.example"),
        "wrong audience": lambda: provider.token(aud="another-service"),
        "expired": lambda: provider.token(exp=1_700_000_000, iat=1_699_999_000),
        "no expiry": lambda: provider.token(exp=None),
        "another key, same kid": lambda: provider.token(SigningKey.generate(key.kid)),
        "unknown kid": lambda: provider.token(SigningKey.generate("made-up")),
        "alg none": lambda: unsigned_token({**claims, "exp": 4_000_000_000}, kid=key.kid),
        "HS256 with the public key": lambda: hs256_token(
            {**claims, "exp": 4_000_000_000}, key.public_pem, kid=key.kid
        ),
    }


@pytest.mark.parametrize(
    "forgery",
    [
        "wrong issuer",
        "wrong audience",
        "expired",
        "no expiry",
        "another key, same kid",
        "unknown kid",
        "alg none",
        "HS256 with the public key",
    ],
)
async def test_a_bad_provider_token_is_a_401(
    client: httpx.AsyncClient, identity_provider: IdentityProvider, forgery: str
) -> None:
    token = _forgeries(identity_provider)[forgery]()

    body = assert_problem(await me(client, token), 401)

    assert body["type"] == PROBLEM_TYPE_PREFIX + "invalid-token"


async def test_a_rotated_key_is_fetched_once_and_unknown_kids_do_not_refetch(
    client: httpx.AsyncClient, identity_provider: IdentityProvider, clock: Clock
) -> None:
    assert (await me(client, identity_provider.token())).status_code == 200
    clock.now += 61  # later than a minute: the provider rotates its keys
    rotated = identity_provider.rotate("key-2")

    accepted = await me(client, identity_provider.token(rotated))
    unknown = await me(client, identity_provider.token(SigningKey.generate("key-3")))

    assert accepted.status_code == 200, accepted.text
    assert_problem(unknown, 401)
    assert identity_provider.key_fetches == 2  # the first fetch, and one for key-2: not key-3


async def test_a_provider_that_is_down_costs_only_tokens_with_uncached_keys(
    client: httpx.AsyncClient, identity_provider: IdentityProvider, clock: Clock
) -> None:
    assert (await me(client, identity_provider.token())).status_code == 200
    identity_provider.stop()
    clock.now += 61

    cached_key = await me(client, identity_provider.token(jti="a new token, a cached key"))
    uncached_key = await me(client, identity_provider.token(SigningKey.generate("key-9")))

    assert cached_key.status_code == 200, cached_key.text
    body = assert_problem(uncached_key, 503)
    assert body["type"] == PROBLEM_TYPE_PREFIX + "identity-provider-unavailable"
    assert 1 <= int(uncached_key.headers["Retry-After"]) <= 60


async def test_our_own_tokens_still_work_beside_the_providers(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await register(client, "ann@example.com")
    own = (await sign_in(client, "ann@example.com"))["access_token"]

    response = await me(client, own)

    assert response.status_code == 200
    assert response.json()["email"] == "ann@example.com"


async def test_without_an_issuer_a_provider_token_is_a_401(
    settings: Settings, identity_provider: IdentityProvider
) -> None:
    async with (
        app_with(settings, oidc_issuer=None, oidc_audience=None) as app,
        client_for(app) as anonymous,
    ):
        response = await me(anonymous, identity_provider.token())

    assert_problem(response, 401)
    assert identity_provider.requested_paths == []
