"""Callers signed in by the identity provider (`OIDC_ISSUER`): their account, made on first sight.

A provider's token names its user by issuer and subject. The account here takes an id derived
from both (a name-based UUID, RFC 9562 version 5), so every request finds it from the token
alone, with the same one cached read as a token of our own. The account has no password: it
signs in at the provider only. What the provider says about the role holds; what the service
says about activity holds too, so deactivating the account here shuts its tokens out.
"""

from collections.abc import Callable
from typing import Final
from uuid import UUID, uuid5

from ..actor import Actor
from ..audit.entities import AuditAction
from ..cache import Cache
from ..unit_of_work import UnitOfWork
from ..users.access_audit import record_access_changes
from ..users.entities import User, UserChanges, UserProfile, normalize_email
from ..users.errors import EmailTakenError
from .entities import AccessClaims, ProviderClaims
from .errors import InvalidAccessTokenError
from .ports import AccessStates

# Fixed for good: changing it would give every provider user a new, empty account.
PROVIDER_USERS: Final = UUID("6f1c2a5e-3b7d-4c8e-9a0f-5d2e7b1c4a93")
# The address of an account whose token names none: `.invalid` never receives mail (RFC 2606).
NO_EMAIL_DOMAIN: Final = "provider.invalid"


def provider_user_id(issuer: str, subject: str) -> UUID:
    # A space cannot occur in an issuer (a URL), so no two (issuer, subject) pairs collide.
    return uuid5(PROVIDER_USERS, f"{issuer} {subject}")


class ProviderSignIn:
    """The access check of a provider's token: the account, made if new, still active."""

    def __init__(
        self,
        states: AccessStates,
        profiles: Cache[UUID, UserProfile],
        unit_of_work: Callable[[], UnitOfWork],
    ) -> None:
        self._states = states
        self._profiles = profiles
        self._unit_of_work = unit_of_work

    async def actor(self, claims: AccessClaims) -> Actor:
        if not isinstance(claims, ProviderClaims):  # only a provider's verifier makes these
            raise InvalidAccessTokenError()
        state = await self._states.get(claims.user_id, None)
        if state is None:
            await self._provision(claims)
        elif not state.is_active:
            raise InvalidAccessTokenError()
        elif state.role is not claims.role:
            await self._follow_role(claims)
        return Actor(user_id=claims.user_id, role=claims.role)

    async def _provision(self, claims: ProviderClaims) -> None:
        email = claims.email or f"{claims.user_id.hex}@{NO_EMAIL_DOMAIN}"
        user = User(
            id=claims.user_id,
            email=normalize_email(email),
            password_hash=None,
            full_name=claims.full_name,
            role=claims.role,
        )
        try:
            async with self._unit_of_work() as uow:
                await uow.users.add(user)
                await uow.audit.record(
                    AuditAction.USER_PROVISIONED,
                    actor=user.id,
                    subject=user.id,
                    details={"issuer": claims.issuer},
                )
                await uow.commit()
        except EmailTakenError:
            # Two first requests at once: the other one made the account. Otherwise the address
            # belongs to another account (one with a password), which is not merged: a 409.
            async with self._unit_of_work().read_only() as uow:
                made = await uow.users.get(user.id)
            if made is None:
                raise
            if not made.is_active:
                raise InvalidAccessTokenError() from None
        # Nothing to forget: a missing user's access state is never cached.

    async def _follow_role(self, claims: ProviderClaims) -> None:
        """The provider changed the user's role: the account follows, so that listings and the
        audit trail agree with what the user may do."""
        async with self._unit_of_work() as uow:
            current = await uow.users.get(claims.user_id, for_update=True)
            if current is None:
                raise InvalidAccessTokenError()
            updated = current.with_changes(UserChanges(role=claims.role))
            await uow.users.update(updated)
            await record_access_changes(uow, None, current, updated)
            await uow.commit()
        await self._states.forget_user(claims.user_id)
        await self._profiles.forget(claims.user_id)
