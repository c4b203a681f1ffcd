"""Sessions as their owner manages them: see where they are signed in, and end any of it.

Ending a session revokes its refresh-token family; `forget_session` then drops the cached
access check, so its access tokens are refused from the next request (authenticator.py).
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from ..actor import Actor
from ..audit.entities import AuditAction
from ..clock import utc_now
from ..pagination import Page, PageRequest
from ..unit_of_work import UnitOfWork
from .entities import Session
from .errors import SessionNotFoundError
from .ports import AccessStates


class SessionService:
    def __init__(
        self,
        uow: UnitOfWork,
        access_states: AccessStates,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._uow = uow
        self._access_states = access_states
        self._clock = clock

    async def list(self, actor: Actor, page: PageRequest) -> Page[Session]:
        # Paged here rather than in SQL: a person has a handful of sessions, not thousands.
        async with self._uow.read_only() as uow:
            live = await uow.refresh_tokens.list_live(actor.user_id, self._clock())
        window = live[page.offset : page.offset + page.limit]
        return Page(items=window, total=len(live), request=page)

    async def end(self, actor: Actor, session_id: UUID) -> None:
        """Ends one of the actor's live sessions (their current one included)."""
        now = self._clock()
        async with self._uow as uow:
            live = await uow.refresh_tokens.list_live(actor.user_id, now)
            if all(session.family.id != session_id for session in live):
                raise SessionNotFoundError(session_id)
            await uow.refresh_tokens.revoke_family(session_id, now)
            await uow.audit.record(
                AuditAction.SESSION_ENDED,
                actor=actor.user_id,
                subject=actor.user_id,
                details={"session_id": str(session_id)},
            )
            await uow.commit()
        await self._access_states.forget_session(session_id)

    async def end_others(self, actor: Actor) -> None:
        """Ends every session of the actor but the one they are calling from."""
        async with self._uow as uow:
            ended = await uow.refresh_tokens.revoke_families_of(
                actor.user_id, self._clock(), keep=actor.session_id
            )
            await uow.audit.record(
                AuditAction.SESSION_ENDED,
                actor=actor.user_id,
                subject=actor.user_id,
                details={"sessions_ended": str(len(ended)), "kept": str(actor.session_id)},
            )
            await uow.commit()
        for session_id in ended:
            await self._access_states.forget_session(session_id)
