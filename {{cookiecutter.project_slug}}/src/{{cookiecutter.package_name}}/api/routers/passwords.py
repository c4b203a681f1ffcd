"""Passwords: reset by mail when forgotten (`/api/v1/auth/password-reset`), and change when
known (`/api/v1/users/me/password`)."""

from fastapi import APIRouter, Request, Response, status

from ..deps import PasswordChanger, PasswordResetsDep
from ..problems import problem_docs
from ..schemas.accounts import PasswordChangeIn, PasswordResetConfirmIn, PasswordResetIn

router = APIRouter(tags=["auth"], responses=problem_docs(422, 429))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/api/v1/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
)
async def request_password_reset(
    body: PasswordResetIn, resets: PasswordResetsDep, request: Request
) -> Response:
    """Mail a reset token to the address, if it has an account. The answer is the same either
    way, so it tells nobody whether the address is registered."""
    await resets.request(body.email, client_address(request))
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/api/v1/auth/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def confirm_password_reset(
    body: PasswordResetConfirmIn, resets: PasswordResetsDep, request: Request
) -> None:
    """Set a new password with a mailed token; the token is spent and every session ends."""
    await resets.confirm(
        body.token.get_secret_value(),
        body.new_password.get_secret_value(),
        client_address(request),
    )


@router.post(
    "/api/v1/users/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_docs(401),
)
async def change_password(body: PasswordChangeIn, caller: PasswordChanger) -> None:
    """Change the caller's password; every other session of theirs ends."""
    await caller.service.change_password(
        caller.actor,
        body.current_password.get_secret_value(),
        body.new_password.get_secret_value(),
    )
