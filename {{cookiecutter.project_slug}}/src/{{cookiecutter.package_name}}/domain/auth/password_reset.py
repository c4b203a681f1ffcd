"""Password reset: a mailed token, single-use and short-lived, lets the owner of an address
choose a new password without the old one.

Asking for a reset answers the same, in the same time, whether or not the address has an
account, so it cannot be used to find out who has one. The token goes out by mail from the
worker (reset_emails.py); only its hash is stored.
"""

from collections.abc import Callable
from datetime import datetime

from ..audit.entities import AuditAction
from ..clock import utc_now
from ..outbox import SEND_PASSWORD_RESET_EMAIL, OutboxMessage
from ..unit_of_work import UnitOfWork
from ..users.entities import normalize_email
from ..users.password_replacement import replace_password
from ..users.passwords import PasswordPolicy
from ..users.ports import PasswordHasher
from .errors import InvalidResetTokenError
from .login_throttle import LoginThrottle
from .ports import AccessStates
from .refresh_tokens import hash_reset_token


class PasswordResetService:
    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        access_states: AccessStates,
        throttle: LoginThrottle,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._policy = policy
        self._access_states = access_states
        self._throttle = throttle
        self._clock = clock

    async def request(self, email: str, client: str) -> None:
        """Has a reset mailed to `email` if it belongs to an active account; silent otherwise."""
        email = normalize_email(email)
        await self._throttle.check(email, client)
        # Every request counts, not only failures: the limit is on mail sent to one address.
        await self._throttle.record_failure(email, client)
        async with self._uow as uow:
            user = await uow.users.get_by_email(email)
            # An account without a password (the identity provider's) signs in there: a reset
            # would give it a password, a second way in that its provider does not control.
            resettable = user is not None and user.is_active and user.password_hash is not None
            user_id = str(user.id) if user is not None and resettable else ""
            # Written whether or not the account exists: the request does the same work either
            # way, so its timing tells nothing. The worker drops a message without a user.
            await uow.outbox.add(OutboxMessage(SEND_PASSWORD_RESET_EMAIL, {"user_id": user_id}))
            # Recorded either way too (no subject without an account), for the same reason.
            subject = None if user is None else user.id
            await uow.audit.record(
                AuditAction.PASSWORD_RESET_REQUESTED, actor=None, subject=subject
            )
            await uow.commit()

    async def confirm(self, token: str, new_password: str, client: str) -> None:
        """Spends the token, sets the password and ends every session of the account."""
        token_hash = hash_reset_token(token)
        # Keyed by the token too, which means little: the client's counter stops the guessing.
        await self._throttle.check(token_hash, client)
        async with self._uow.read_only() as uow:
            found = await uow.password_reset_tokens.find(token_hash)
            user = None if found is None else await uow.users.get(found.user_id)
        usable = found is not None and found.is_usable(self._clock())
        if not usable or user is None or not user.is_active:
            await self._throttle.record_failure(token_hash, client)
            raise InvalidResetTokenError()
        # Checked before the token is spent: a refused password leaves it usable for a better one.
        await self._policy.check(new_password, user.email)
        password_hash = await self._hasher.hash(new_password)  # slow: outside the transaction
        now = self._clock()
        async with self._uow as uow:
            # Locked and checked again: of two confirmations racing with one token, one wins.
            locked = await uow.password_reset_tokens.find(token_hash, for_update=True)
            current = await uow.users.get(user.id, for_update=True)
            if locked is None or not locked.is_usable(now) or current is None:
                raise InvalidResetTokenError()
            # Whoever knew the old password may hold a session: all of them end.
            ended = await replace_password(
                uow, current, password_hash, at=now, action=AuditAction.PASSWORD_RESET
            )
            await uow.commit()
        for session_id in ended:
            await self._access_states.forget_session(session_id)
