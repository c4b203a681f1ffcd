"""The password reset email, sent by the worker after a reset request committed (through the
outbox). The token is made here, so that it exists only in this process and in the mail."""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from ..clock import utc_now
from ..mail import Email, Mailer
from ..unit_of_work import UnitOfWorkFactory
from ..users.entities import User
from .entities import PasswordResetToken
from .refresh_tokens import new_reset_token


def password_reset_email(user: User, token: str, ttl_seconds: int) -> Email:
    return Email(
        to=user.email,
        subject="Reset your {{ cookiecutter.project_name }} password",
        body=(
            "Someone, hopefully you, asked to reset the password of this account.\n\n"
            f"Your reset token: {token}\n\n"
            "Send it with your new password to POST /api/v1/auth/password-reset/confirm "
            f"within {ttl_seconds // 60} minutes; it works once. Setting a new password signs "
            "out every session. If you did not ask, ignore this mail: your password stays.\n"
        ),
    )


class PasswordResetEmails:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        mailer: Mailer,
        ttl_seconds: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._mailer = mailer
        self._ttl_seconds = ttl_seconds
        self._clock = clock

    async def send(self, user_id: UUID | None, message_id: UUID) -> bool:
        """Mails a fresh token once per message; `False` for a repeated delivery. `None`: the
        request named no active account, and nothing is sent (password_reset.py says why).

        As for the welcome mail (users/welcome.py), the claim and the token commit only after
        the mail went out: a failed send is retried with a new token, never lost.
        """
        async with self._unit_of_work() as uow:
            if not await uow.processed_messages.claim(message_id):
                return False
            user = None if user_id is None else await uow.users.get(user_id)
            if user is not None and user.is_active:
                token, token_hash = new_reset_token()
                now = self._clock()
                expires_at = now + timedelta(seconds=self._ttl_seconds)
                await uow.password_reset_tokens.add(
                    PasswordResetToken(user.id, token_hash, expires_at, created_at=now)
                )
                await self._mailer.send(password_reset_email(user, token, self._ttl_seconds))
            await uow.commit()
        return True
