"""What can go wrong with service clients. Signing in fails alike for an unknown client, a wrong
secret and a revoked client (`InvalidClientError`, in auth/errors.py): no existence leak."""

from uuid import UUID

from ..errors import InvalidInputError, NotFoundError, PermissionDeniedError
from ..permissions import Permission


class ServiceClientNotFoundError(NotFoundError):
    code = "service-client-not-found"

    def __init__(self, client_id: UUID) -> None:
        super().__init__(f"Service client {client_id} does not exist or is revoked.")


class PermissionNotGrantableError(InvalidInputError):
    code = "permission-not-grantable"

    def __init__(self, refused: frozenset[Permission]) -> None:
        names = ", ".join(sorted(refused))
        super().__init__(f"A service client cannot be granted: {names}.")


class NotAUserError(PermissionDeniedError):
    """A service client called an endpoint of a user's own account (`/users/me`, sessions...)."""

    code = "not-a-user"

    def __init__(self) -> None:
        super().__init__(
            "This endpoint is for users; a service client may call only the endpoints that "
            "its permissions grant."
        )
