"""The per-request access check, cache-aside over the database's answer (server mode).

Every authenticated request asks whether its user is still active and its session still live.
Asking the database each time would make every request pay a query; asking Redis costs one
round trip that the request shares with its other cached reads (`read_batch.py`).

An entry depends on two stamps, the user's and the session's: `forget_user` (a role change, a
deactivation) and `forget_session` (a logout, a detected refresh-token reuse) each replace one,
and every entry read under the old one stops matching, in every process (redis_store.py).
"""

from dataclasses import dataclass
from uuid import UUID

from ...domain.auth.entities import AccessState
from ...domain.auth.ports import AccessStates
from .cache_aside import CacheAside
from .read_batch import ReadBatch
from .store import CacheStore


@dataclass(frozen=True, slots=True)
class SessionKey:
    user_id: UUID
    session_id: UUID

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_id}"

    def stamps(self) -> tuple[str, str]:
        return user_stamp(self.user_id), session_stamp(self.session_id)


def user_stamp(user_id: UUID) -> str:
    return f"user:{user_id}"


def session_stamp(session_id: UUID) -> str:
    return f"session:{session_id}"


class CachedAccessStates:
    def __init__(self, database: AccessStates, cache: CacheAside[SessionKey, AccessState]) -> None:
        self._database = database
        self._cache = cache

    @classmethod
    def over(
        cls, database: AccessStates, store: CacheStore[AccessState], ttl_seconds: float
    ) -> "CachedAccessStates":
        cache = CacheAside(
            store, name="access", ttl_seconds=ttl_seconds, stamps_of=SessionKey.stamps
        )
        return cls(database, cache)

    def batched(self, batch: ReadBatch) -> "CachedAccessStates":
        """These access states for one request: the lookup goes through its batch."""
        return CachedAccessStates(self._database, self._cache.batched(batch))

    async def get(self, user_id: UUID, session_id: UUID) -> AccessState | None:
        return await self._cache.get_or_load(
            SessionKey(user_id, session_id), lambda: self._database.get(user_id, session_id)
        )

    async def forget_user(self, user_id: UUID) -> None:
        await self._database.forget_user(user_id)
        await self._cache.forget_stamp(user_stamp(user_id))

    async def forget_session(self, session_id: UUID) -> None:
        await self._database.forget_session(session_id)
        await self._cache.forget_stamp(session_stamp(session_id))
