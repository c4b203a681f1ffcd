"""Use cases of signing in: login, refresh-token rotation with reuse detection, and logout."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from ..audit.entities import AuditAction
from ..clock import utc_now
from ..unit_of_work import UnitOfWork
from ..users.entities import User, normalize_email
from ..users.ports import PasswordHasher
from .entities import USER_AGENT_MAX_LENGTH, RefreshToken, RefreshTokenFamily, TokenPair
from .errors import InvalidCredentialsError, InvalidRefreshTokenError
from .login_throttle import LoginThrottle
from .ports import AccessStates, AccessTokens
from .refresh_tokens import hash_refresh_token, new_refresh_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    refresh_token_ttl_seconds: int
    # Within this many seconds of a rotation, the spent token is refused without ending the
    # session: two browser tabs refreshing at once are a race, not a theft.
    reuse_grace_seconds: int = 0


class AuthService:
    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        tokens: AccessTokens,
        access_states: AccessStates,
        throttle: LoginThrottle,
        policy: SessionPolicy,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._access_states = access_states
        self._throttle = throttle
        self._policy = policy
        self._clock = clock

    async def login(
        self, email: str, password: str, client: str, user_agent: str | None = None
    ) -> TokenPair:
        """Starts a session. Unknown email, wrong password and inactive account fail alike."""
        email = normalize_email(email)
        await self._throttle.check(email, client)
        async with self._uow.read_only() as uow:
            user = await uow.users.get_by_email(email)
        # Outside any transaction: hashing takes a while and needs no database connection.
        check = await self._hasher.verify(password, None if user is None else user.password_hash)
        if user is None or not check.is_valid or not user.is_active:
            await self._throttle.record_failure(email, client)
            await self._record_failed_sign_in(None if user is None else user.id)
            raise InvalidCredentialsError()
        await self._throttle.record_success(email)
        async with self._uow as uow:
            if check.new_hash is not None:
                await self._upgrade_hash(uow, user, check.new_hash)
            family = RefreshTokenFamily(
                user_id=user.id,
                created_at=self._clock(),
                user_agent=None if user_agent is None else user_agent[:USER_AGENT_MAX_LENGTH],
                client=client,
            )
            await uow.refresh_tokens.add_family(family)
            pair = await self._issue(uow, user, family)
            await uow.audit.record(
                AuditAction.SIGN_IN_SUCCEEDED,
                actor=user.id,
                subject=user.id,
                details={"session_id": str(family.id)},
            )
            await uow.commit()
        return pair

    async def _record_failed_sign_in(self, user_id: UUID | None) -> None:
        """The account tried, if it exists; never the address typed, which may be anyone's
        (or a password typed into the wrong field)."""
        async with self._uow as uow:
            await uow.audit.record(AuditAction.SIGN_IN_FAILED, actor=None, subject=user_id)
            await uow.commit()

    async def refresh(self, presented: str) -> TokenPair:
        """Rotates: the presented refresh token is spent and a new pair issued in its session."""
        now = self._clock()
        async with self._uow as uow:
            # Locked: of two refreshes racing with one token, one rotates, the other sees it spent.
            token = await uow.refresh_tokens.find(hash_refresh_token(presented), for_update=True)
            if token is None or token.family.is_revoked:
                raise InvalidRefreshTokenError()
            if token.spent_at is not None:
                if now - token.spent_at >= timedelta(seconds=self._policy.reuse_grace_seconds):
                    await self._revoke_reused(uow, token, now)
                raise InvalidRefreshTokenError()
            user = await uow.users.get(token.family.user_id)
            if token.expires_at <= now or user is None or not user.is_active:
                raise InvalidRefreshTokenError()
            await uow.refresh_tokens.spend(token.id, now)
            pair = await self._issue(uow, user, token.family)
            await uow.commit()
        return pair

    async def logout(self, presented: str) -> None:
        """Ends the token's session. An unknown or already revoked token is accepted silently:
        logging out twice is not an error, and the answer reveals nothing about the token."""
        async with self._uow as uow:
            token = await uow.refresh_tokens.find(hash_refresh_token(presented))
            if token is None or token.family.is_revoked:
                return
            await uow.refresh_tokens.revoke_family(token.family.id, self._clock())
            user_id = token.family.user_id
            await uow.audit.record(
                AuditAction.SIGNED_OUT,
                actor=user_id,
                subject=user_id,
                details={"session_id": str(token.family.id)},
            )
            await uow.commit()
        await self._access_states.forget_session(token.family.id)

    async def _issue(self, uow: UnitOfWork, user: User, family: RefreshTokenFamily) -> TokenPair:
        refresh_token, refresh_token_hash = new_refresh_token()
        now = self._clock()
        await uow.refresh_tokens.add(
            RefreshToken(
                family=family,
                token_hash=refresh_token_hash,
                created_at=now,
                expires_at=now + timedelta(seconds=self._policy.refresh_token_ttl_seconds),
            )
        )
        access = self._tokens.issue(user.id, family.id, user.role)
        return TokenPair(access.token, refresh_token, access.expires_in_seconds)

    async def _revoke_reused(self, uow: UnitOfWork, token: RefreshToken, now: datetime) -> None:
        """A spent token came back, so two parties hold copies of it and we cannot tell the
        owner from the thief: the whole session ends (RFC 9700, section 4.14)."""
        await uow.refresh_tokens.revoke_family(token.family.id, now)
        await uow.audit.record(
            AuditAction.REFRESH_TOKEN_REUSED,
            actor=None,
            subject=token.family.user_id,
            details={"session_id": str(token.family.id)},
        )
        await uow.commit()
        await self._access_states.forget_session(token.family.id)
        logger.warning(
            "refresh token reuse detected: session %s of user %s revoked",
            token.family.id,
            token.family.user_id,
        )

    @staticmethod
    async def _upgrade_hash(uow: UnitOfWork, user: User, new_hash: str) -> None:
        """Stores the hash made with the current parameters, unless the password changed since."""
        current = await uow.users.get(user.id, for_update=True)
        if current is not None and current.password_hash == user.password_hash:
            await uow.users.update(current.with_password_hash(new_hash))
