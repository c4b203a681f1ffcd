"""Token bodies, in the shape of RFC 6749 section 5.1 (the OAuth2 token response)."""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ...domain.auth.entities import TokenPair
from .storable import STORABLE_SECRET, StorableText


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


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[SecretStr, Field(min_length=1, max_length=512), STORABLE_SECRET]


class PasswordSignIn(BaseModel):
    """The OAuth2 password grant's form (RFC 6749 section 4.3.2), which the docs page's
    Authorize button sends: FastAPI's `OAuth2PasswordRequestForm`, with the storable-text check
    (the username is looked up in the database)."""

    grant_type: Annotated[str | None, Field(pattern="^password$")] = None
    username: StorableText
    password: Annotated[SecretStr, STORABLE_SECRET]
    scope: str = ""
