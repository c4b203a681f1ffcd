"""The root of every error the domain raises; the API maps each kind to an HTTP problem."""


class DomainError(Exception):
    """A rule of the domain was broken. `code` names the kind of problem, stable for clients."""

    code = "domain-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    code = "not-found"


class ConflictError(DomainError):
    code = "conflict"


class PreconditionFailedError(DomainError):
    """The caller made the request conditional on a state (a version) that is no longer so."""

    code = "precondition-failed"


class InvalidInputError(DomainError):
    code = "invalid-input"


class AuthenticationError(DomainError):
    """The caller could not be identified: no credentials, or wrong, expired or revoked ones."""

    code = "unauthenticated"


class PermissionDeniedError(DomainError):
    """The caller is known, but their role does not grant what they asked for."""

    code = "permission-denied"


class UnavailableError(DomainError):
    """Something the answer depends on cannot be reached now; the caller may try again later."""

    code = "unavailable"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class TooManyRequestsError(DomainError):
    code = "too-many-requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds
