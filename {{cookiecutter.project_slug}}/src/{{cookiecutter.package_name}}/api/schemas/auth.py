"""Token bodies, in the shape of RFC 6749 section 5.1 (the OAuth2 token response)."""

from typing import Annotated, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ...domain.auth.entities import IssuedAccessToken, TokenPair
from .storable import STORABLE_SECRET, StorableText

# Longer than any id or secret the service gives out, short enough to bound the work.
CLIENT_CREDENTIAL_MAX_LENGTH: Final = 256
ClientSecret = Annotated[SecretStr, Field(max_length=CLIENT_CREDENTIAL_MAX_LENGTH), STORABLE_SECRET]


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")

    @classmethod
    def from_pair(cls, pair: TokenPair) -> Self:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.expires_in_seconds,
        )


class ClientTokenOut(BaseModel):
    """The client-credentials grant's answer: no refresh token (RFC 6749 section 4.4.3); the
    client asks again with its secret."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")

    @classmethod
    def from_issued(cls, issued: IssuedAccessToken) -> Self:
        return cls(access_token=issued.token, expires_in=issued.expires_in_seconds)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[SecretStr, Field(min_length=1, max_length=512), STORABLE_SECRET]


class TokenRequest(BaseModel):
    """The token endpoint's form, for two grants (routers/auth.py says which fields each needs):
    a user's password (RFC 6749 section 4.3.2; FastAPI's `OAuth2PasswordRequestForm`, which the
    docs page's Authorize button sends) or a service client's credentials (section 4.4.2; the
    client may send them as HTTP Basic instead, section 2.3.1). A missing `grant_type` means
    `password`, as FastAPI's form has it."""

    grant_type: Annotated[str | None, Field(max_length=64)] = None
    username: StorableText | None = None
    password: Annotated[SecretStr, STORABLE_SECRET] | None = None
    client_id: Annotated[str, Field(max_length=CLIENT_CREDENTIAL_MAX_LENGTH)] | None = None
    client_secret: ClientSecret | None = None
    # Accepted and ignored: a user gets their role's permissions, a client all of its grant.
    scope: str = ""
