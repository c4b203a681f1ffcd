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


class InvalidInputError(DomainError):
    code = "invalid-input"
