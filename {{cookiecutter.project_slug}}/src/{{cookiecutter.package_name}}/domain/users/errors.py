"""What can go wrong with user accounts."""

from uuid import UUID

from ..errors import ConflictError, InvalidInputError, NotFoundError


class UserNotFoundError(NotFoundError):
    code = "user-not-found"

    def __init__(self, user_id: UUID) -> None:
        super().__init__(f"User {user_id} does not exist.")
        self.user_id = user_id


class EmailTakenError(ConflictError):
    code = "email-taken"

    def __init__(self) -> None:
        # The address is not echoed: error details end up in logs and monitoring tools.
        super().__init__("A user with this email address already exists.")


class WeakPasswordError(InvalidInputError):
    code = "weak-password"


class WrongPasswordError(InvalidInputError):
    """The current password, asked again before changing it or erasing the account, was wrong:
    a field of the request that is not right, so a 422 like any other."""

    code = "wrong-password"

    def __init__(self) -> None:
        super().__init__("The current password is not correct.")


class OwnAccessChangeError(ConflictError):
    """Guards against an administrator locking everyone out, the last admin included."""

    code = "own-access-change"

    def __init__(self) -> None:
        super().__init__("You cannot demote or deactivate yourself; ask another administrator.")
