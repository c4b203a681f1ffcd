"""The identity provider's tokens: what is verified, and when its keys are fetched (unit: the
provider's HTTP answers come from an `httpx.MockTransport`, its time from a test clock)."""

import asyncio
import time
from typing import Any

import httpx
import jwt
import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import (
    IdentityProviderUnavailableError,
    InvalidAccessTokenError,
)
from {{ cookiecutter.package_name }}.domain.auth.provider_sign_in import provider_user_id
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.infrastructure.http.client import ResilientHttpClient
from {{ cookiecutter.package_name }}.infrastructure.http.host_breakers import HostBreakers
from {{ cookiecutter.package_name }}.infrastructure.http.retry_policy import RetryPolicy
from {{ cookiecutter.package_name }}.infrastructure.security.access_tokens import JwtAccessTokens
from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeys
from {{ cookiecutter.package_name }}.infrastructure.security.provider_keys import ProviderKeys
from {{ cookiecutter.package_name }}.infrastructure.security.provider_tokens import OidcProviderTokens

from ..identity_provider import SigningKey
from ..tokens import hs256_token, unsigned_token

ISSUER = "https://id.example.com/realms/staff"
JWKS_URL = "https://id.example.com/keys"
AUDIENCE = "our-api"
OWN = JwtAccessTokens(
    JwtKeys("HS256", "k" * 48, "k" * 48), issuer="us", audience="us", ttl_seconds=900
)


class Provider:
    """The provider's HTTP side: metadata and keys, counted; `down` refuses every request."""

    def __init__(self) -> None:
        self.keys = [SigningKey.generate("key-1")]
        self.metadata_issuer = ISSUER
        self.paths: list[str] = []
        self.down = False
        self.now = 1000.0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/realms/staff/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": self.metadata_issuer, "jwks_uri": JWKS_URL})
        return httpx.Response(200, json={"keys": [key.jwk() for key in self.keys]})

    @property
    def key_fetches(self) -> int:
        return self.paths.count("/keys")

    def token(self, key: SigningKey | None = None, **claims: Any) -> str:
        payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u-1", "exp": int(time.time()) + 60}
        signer = key or self.keys[0]
        return jwt.encode(
            {**payload, **claims}, signer.private_key, "RS256", headers={"kid": signer.kid}
        )

    def verifier(self, *, jwks_url: str | None = None, **options: Any) -> OidcProviderTokens:
        http = ResilientHttpClient(
            httpx.AsyncClient(transport=httpx.MockTransport(self.handle)),
            RetryPolicy(
                attempts=1, backoff_seconds=0.1, backoff_max_seconds=1, retry_after_max_seconds=0
            ),
            HostBreakers(failure_threshold=100, reset_seconds=30),
            total_timeout_seconds=5,
        )
        keys = ProviderKeys(http, issuer=ISSUER, jwks_url=jwks_url, clock=lambda: self.now)
        settings: dict[str, Any] = {
            "algorithms": ["RS256"],
            "roles_claim": "realm_access.roles",
            "admin_role": "service-admin",
            **options,
        }
        return OidcProviderTokens(
            keys, own_header=OWN.header, issuer=ISSUER, audience=AUDIENCE, **settings
        )


@pytest.fixture
def provider() -> Provider:
    return Provider()


def test_our_own_tokens_are_not_the_providers(provider: Provider) -> None:
    own = OWN.issue(provider_user_id("us", "x"), provider_user_id("us", "y"), Role.USER).token
    verifier = provider.verifier()

    assert not verifier.issued(own)
    assert verifier.issued(provider.token())


async def test_a_good_token_names_the_derived_user_and_the_mapped_role(provider: Provider) -> None:
    token = provider.token(
        realm_access={"roles": ["service-admin"]}, email="kim@example.com", name="Kim"
    )

    claims = await provider.verifier().verify(token)

    assert claims.user_id == provider_user_id(ISSUER, "u-1")
    assert claims.session_id is None
    assert (claims.role, claims.email, claims.full_name) == (Role.ADMIN, "kim@example.com", "Kim")
    assert provider.paths == ["/realms/staff/.well-known/openid-configuration", "/keys"]


@pytest.mark.parametrize(
    ("roles_claim", "claims", "role"),
    [
        ("realm_access.roles", {"realm_access": {"roles": ["reader"]}}, Role.USER),
        ("realm_access.roles", {}, Role.USER),
        ("realm_access.roles", {"realm_access": "service-admin"}, Role.USER),
        ("scope", {"scope": "openid service-admin"}, Role.ADMIN),
        ("groups", {"groups": ["staff", "service-admin"]}, Role.ADMIN),
    ],
    ids=["other role", "no claim", "path through a string", "space-separated", "list"],
)
async def test_the_role_claim_is_a_dotted_path(
    provider: Provider, roles_claim: str, claims: dict[str, Any], role: Role
) -> None:
    verified = await provider.verifier(roles_claim=roles_claim).verify(provider.token(**claims))

    assert verified.role is role


async def test_an_email_claim_that_is_no_address_is_left_out(provider: Provider) -> None:
    claims = await provider.verifier().verify(provider.token(email="not an address"))

    assert claims.email is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda p: unsigned_token({"iss": ISSUER, "aud": AUDIENCE, "sub": "u"}, kid="key-1"),
        lambda p: hs256_token(
            {"iss": ISSUER, "aud": AUDIENCE, "sub": "u", "exp": 4_000_000_000},
            p.keys[0].public_pem,
            kid="key-1",
        ),
        lambda p: jwt.encode({"sub": "u"}, p.keys[0].private_key, "RS256"),  # no kid
        lambda p: "not.a.token",
    ],
    ids=["alg none", "HS256 with the public key", "no kid", "garbage"],
)
async def test_a_forged_header_is_refused_without_asking_the_provider(
    provider: Provider, forge: Any
) -> None:
    with pytest.raises(InvalidAccessTokenError):
        await provider.verifier().verify(forge(provider))

    assert provider.paths == []


async def test_an_unknown_kid_refetches_at_most_once_a_minute(provider: Provider) -> None:
    verifier = provider.verifier(jwks_url=JWKS_URL)
    await verifier.verify(provider.token())
    provider.keys.append(SigningKey.generate("key-2"))

    with pytest.raises(InvalidAccessTokenError):  # fetched a moment ago: not again
        await verifier.verify(provider.token(provider.keys[1]))
    provider.now += 60
    await verifier.verify(provider.token(provider.keys[1]))
    with pytest.raises(InvalidAccessTokenError):
        await verifier.verify(provider.token(SigningKey.generate("key-3")))

    assert provider.key_fetches == 2
    assert provider.paths.count("/keys") == len(provider.paths)  # OIDC_JWKS_URL: no discovery


async def test_concurrent_unknown_kids_share_one_fetch(provider: Provider) -> None:
    verifier = provider.verifier(jwks_url=JWKS_URL)
    tokens = [provider.token(sub=f"user-{number}") for number in range(5)]

    await asyncio.gather(*(verifier.verify(token) for token in tokens))

    assert provider.key_fetches == 1


async def test_a_provider_that_is_down_is_a_503_and_asked_again_after_a_minute(
    provider: Provider,
) -> None:
    verifier = provider.verifier(jwks_url=JWKS_URL)
    provider.down = True

    with pytest.raises(IdentityProviderUnavailableError) as first:
        await verifier.verify(provider.token())
    provider.now += 30
    with pytest.raises(IdentityProviderUnavailableError) as second:
        await verifier.verify(provider.token())
    provider.down, provider.now = False, provider.now + 30
    await verifier.verify(provider.token())

    assert (first.value.retry_after_seconds, second.value.retry_after_seconds) == (60, 30)
    assert provider.key_fetches == 2  # not during the minute after the failed one


async def test_metadata_naming_another_issuer_is_refused(provider: Provider) -> None:
    provider.metadata_issuer = "https://evil.example"

    with pytest.raises(IdentityProviderUnavailableError):
        await provider.verifier().verify(provider.token())

    assert provider.key_fetches == 0


async def test_a_verified_token_is_remembered_until_it_expires(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = provider.verifier(jwks_url=JWKS_URL)
    token = provider.token()
    first = await verifier.verify(token)

    def no_second_check(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the signature was checked again")

    monkeypatch.setattr(jwt, "decode", no_second_check)

    assert await verifier.verify(token) is first
