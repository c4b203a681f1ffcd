"""What can go wrong while signing in. Every 401 says as little as it can: an attacker learns
nothing from the difference between an unknown email and a wrong password, or between an
expired token and a revoked one."""

from uuid import UUID

from ..errors import (
    AuthenticationError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
    UnavailableError,
)


class NotAuthenticatedError(AuthenticationError):
    code = "not-authenticated"

    def __init__(self) -> None:
        super().__init__("Authentication required: send `Authorization: Bearer <access token>`.")


class InvalidCredentialsError(AuthenticationError):
    code = "invalid-credentials"

    def __init__(self) -> None:
        super().__init__("Incorrect email or password.")


class InvalidClientError(AuthenticationError):
    """RFC 6749 section 5.2's `invalid_client`: an unknown client, a wrong secret and a revoked
    client all get this one answer."""

    code = "invalid-client"
    oauth_error = "invalid_client"

    def __init__(self) -> None:
        super().__init__("Client authentication failed: unknown client, wrong secret or revoked.")


class TokenRequestError(DomainError):
    """A token request that RFC 6749 (section 5.2) answers with a 400 and an `error` code."""

    code = "invalid-token-request"
    oauth_error = "invalid_request"


class UnsupportedGrantTypeError(TokenRequestError):
    code = "unsupported-grant-type"
    oauth_error = "unsupported_grant_type"

    def __init__(self) -> None:
        # The value sent is not echoed: a form mixed up by its sender may hold a secret there.
        super().__init__("Unsupported grant_type: use `password` or `client_credentials`.")


class InvalidAccessTokenError(AuthenticationError):
    code = "invalid-token"

    def __init__(self) -> None:
        super().__init__("The access token is invalid, expired or revoked.")


class IdentityProviderUnavailableError(UnavailableError):
    """The token names a signing key we do not hold, and the identity provider, asked for its
    keys, did not answer: the token may well be good, so this is no 401 (docs/auth.md)."""

    code = "identity-provider-unavailable"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            "The identity provider that signed the access token cannot be reached; "
            "try again later.",
            retry_after_seconds,
        )


class InvalidRefreshTokenError(AuthenticationError):
    code = "invalid-refresh-token"

    def __init__(self) -> None:
        super().__init__("The refresh token is invalid, expired or revoked; sign in again.")


class TooManyLoginAttemptsError(TooManyRequestsError):
    code = "too-many-login-attempts"

    def __init__(self, retry_after_seconds: int, attempts: str = "failed sign-ins") -> None:
        super().__init__(
            f"Too many {attempts}; try again in {retry_after_seconds} seconds.",
            retry_after_seconds,
        )


class InvalidResetTokenError(InvalidInputError):
    code = "invalid-reset-token"

    def __init__(self) -> None:
        super().__init__(
            "The password reset token is invalid, expired or already used; request a new one."
        )


class SessionNotFoundError(NotFoundError):
    """Also the answer for another user's session: whether it exists is none of the caller's
    business."""

    code = "session-not-found"

    def __init__(self, session_id: UUID) -> None:
        super().__init__(f"You have no active session {session_id}.")
