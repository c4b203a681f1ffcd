"""Access tokens (JWT): what they carry, and every way a token must be refused."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import jwt
import pytest

from {{ cookiecutter.package_name }}.domain.auth.entities import ClientClaims
from {{ cookiecutter.package_name }}.domain.auth.errors import InvalidAccessTokenError
from {{ cookiecutter.package_name }}.domain.permissions import Permission, Role
from {{ cookiecutter.package_name }}.infrastructure.security.access_tokens import (
    CLIENT_TOKEN_CLAIMS,
    REQUIRED_CLAIMS,
    JwtAccessTokens,
)
from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeys, load_jwt_keys

from ..conftest import make_settings
from ..tokens import hs256_token, unsigned_token, write_key_pair

SECRET = "s" * 64  # long enough for HS512 too: the algorithm must be what fails
ISSUER, AUDIENCE = "the-issuer", "the-audience"
USER_ID, SESSION_ID = uuid4(), uuid4()


def hs256_tokens(**options: Any) -> JwtAccessTokens:
    keys = JwtKeys("HS256", SECRET, SECRET)
    return JwtAccessTokens(keys, issuer=ISSUER, audience=AUDIENCE, ttl_seconds=900, **options)


def valid_claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {
        "sub": str(USER_ID),
        "sid": str(SESSION_ID),
        "role": "user",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=15)).timestamp()),
        "jti": uuid4().hex,
        "typ": "access",
        **changes,
    }
    return {name: value for name, value in claims.items() if value is not None}


def signed(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_an_issued_token_verifies_to_its_user_and_session() -> None:
    tokens = hs256_tokens()

    issued = tokens.issue(USER_ID, SESSION_ID, Role.USER)
    claims = tokens.verify(issued.token)

    assert (claims.user_id, claims.session_id) == (USER_ID, SESSION_ID)
    assert issued.expires_in_seconds == 900


def test_an_issued_token_carries_exactly_the_contract_claims() -> None:
    issued = hs256_tokens().issue(USER_ID, SESSION_ID, Role.ADMIN)

    header = jwt.get_unverified_header(issued.token)
    claims = jwt.decode(issued.token, options={"verify_signature": False})

    assert header["alg"] == "HS256"
    assert set(claims) == set(REQUIRED_CLAIMS)
    assert (claims["sub"], claims["sid"], claims["role"]) == (
        str(USER_ID),
        str(SESSION_ID),
        "admin",
    )
    assert (claims["iss"], claims["aud"], claims["typ"]) == (ISSUER, AUDIENCE, "access")
    assert claims["exp"] - claims["iat"] == 900
    assert (
        claims["jti"]
        != jwt.decode(
            hs256_tokens().issue(USER_ID, SESSION_ID, Role.ADMIN).token,
            options={"verify_signature": False},
        )["jti"]
    )


def test_a_client_s_token_names_the_client_and_its_grant_and_no_role() -> None:
    tokens = hs256_tokens()
    granted = frozenset({Permission.USERS_READ, Permission.AUDIT_READ})

    issued = tokens.issue_for_client(USER_ID, SESSION_ID, granted)
    claims = jwt.decode(issued.token, options={"verify_signature": False})

    assert set(claims) == set(CLIENT_TOKEN_CLAIMS)
    assert claims["sub"] == claims["client_id"] == str(USER_ID)
    assert claims["scope"] == "audit:read users:read"
    assert tokens.verify(issued.token) == ClientClaims(user_id=USER_ID, session_id=SESSION_ID)


def test_rs256_when_key_files_are_configured(tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path)
    settings = make_settings(
        "sqlite://", jwt_private_key_file=str(private), jwt_public_key_file=str(public)
    )
    tokens = JwtAccessTokens.from_settings(settings)

    issued = tokens.issue(USER_ID, SESSION_ID, Role.USER)

    assert jwt.get_unverified_header(issued.token)["alg"] == "RS256"
    assert tokens.verify(issued.token).user_id == USER_ID
    # Anyone holding only the public key can check it; nobody can forge it with that key.
    assert jwt.decode(
        issued.token, public.read_bytes(), algorithms=["RS256"], audience=settings.jwt_audience
    )["sub"] == str(USER_ID)
    with pytest.raises(InvalidAccessTokenError):
        tokens.verify(hs256_token(valid_claims(iss=settings.jwt_issuer), public.read_bytes()))


def test_es256_keys_work_too(tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path, "ec")
    settings = make_settings(
        "sqlite://",
        jwt_algorithm="ES256",
        jwt_private_key_file=str(private),
        jwt_public_key_file=str(public),
    )
    tokens = JwtAccessTokens.from_settings(settings)

    assert tokens.verify(tokens.issue(USER_ID, SESSION_ID, Role.USER).token).user_id == USER_ID


def test_a_token_within_the_leeway_of_its_expiry_is_accepted() -> None:
    token = signed(valid_claims(exp=int(datetime.now(UTC).timestamp()) - 2))

    assert hs256_tokens().verify(token).user_id == USER_ID


def expired_token() -> str:
    issued_long_ago = hs256_tokens(clock=lambda: datetime.now(UTC) - timedelta(hours=1))
    return issued_long_ago.issue(USER_ID, SESSION_ID, Role.USER).token


REJECTED: dict[str, Any] = {
    "alg none": lambda: unsigned_token(valid_claims()),
    "bad signature": lambda: jwt.encode(valid_claims(), "another secret" * 4, algorithm="HS256"),
    "tampered payload": lambda: tamper(signed(valid_claims())),
    "another HMAC algorithm": lambda: jwt.encode(valid_claims(), SECRET, algorithm="HS512"),
    "wrong issuer": lambda: signed(valid_claims(iss="someone-else")),
    "wrong audience": lambda: signed(valid_claims(aud="another-service")),
    "audience list": lambda: signed(valid_claims(aud=[AUDIENCE, "another-service"])),
    "refresh type": lambda: signed(valid_claims(typ="refresh")),
    "id token type": lambda: signed(valid_claims(typ="id")),
    "expired": expired_token,
    "issued in the future": lambda: signed(
        valid_claims(iat=int((datetime.now(UTC) + timedelta(minutes=5)).timestamp()))
    ),
    "sub not a uuid": lambda: signed(valid_claims(sub="admin")),
    "sid not a uuid": lambda: signed(valid_claims(sid="42")),
    # A client's token names the client twice, and has no role: a mixed one is a forgery.
    "client_id not the sub": lambda: signed(valid_claims(role=None, client_id=str(uuid4()))),
    "client_id and a role": lambda: signed(valid_claims(client_id=str(USER_ID))),
    "not a jwt": lambda: "not.a.jwt",
    "empty": lambda: "",
    **{
        f"missing {name}": (lambda name=name: signed(valid_claims(**{name: None})))
        for name in REQUIRED_CLAIMS
    },
}


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b'"user"', b'"admin"')
    ).decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("case", list(REJECTED))
def test_a_bad_token_is_refused(case: str) -> None:
    with pytest.raises(InvalidAccessTokenError):
        hs256_tokens().verify(REJECTED[case]())


def test_an_rs256_token_is_refused_where_hs256_is_configured(tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path)
    settings = make_settings(
        "sqlite://", jwt_private_key_file=str(private), jwt_public_key_file=str(public)
    )
    rs256_token = JwtAccessTokens.from_settings(settings).issue(USER_ID, SESSION_ID, Role.USER)
    hs256 = JwtAccessTokens.from_settings(
        make_settings("sqlite://", jwt_issuer=settings.jwt_issuer)
    )

    with pytest.raises(InvalidAccessTokenError):
        hs256.verify(rs256_token.token)


def test_hs256_signs_with_the_secret_key_by_default() -> None:
    keys = load_jwt_keys(make_settings("sqlite://", secret_key=SECRET))

    assert (keys.algorithm, keys.signing_key, keys.verification_key) == ("HS256", SECRET, SECRET)
    assert SECRET not in repr(keys)
