"""The per-request access check, cache-aside over the database's answer (server mode).

Every authenticated request asks whether its user is still active and its session still live.
Asking the database each time would make every request pay a query; asking Redis costs one
round trip that the request shares with its other cached reads (`read_batch.py`).

An entry depends on two things, the user and the session: `forget_user` (a role change, a
deactivation) and `forget_session` (a logout, a detected refresh-token reuse) each make every
entry that depends on theirs stale, in every process (redis_store.py). A service client's entry
is its own, and `forget_client` (a rotated secret, a revocation) drops it the same way.
"""

from dataclasses import dataclass
from uuid import UUID

from ...domain.auth.entities import AccessState, ClientAccessState
from ...domain.auth.ports import AccessStates
from .cache_aside import CacheAside
from .read_batch import ReadBatch
from .request_view import request_view
from .store import CacheStore


@dataclass(frozen=True, slots=True)
class SessionKey:
    user_id: UUID
    session_id: UUID | None  # None: a token from the identity provider, the user alone

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_id or 'provider'}"

    def depends_on(self) -> tuple[str, ...]:
        if self.session_id is None:
            return (_user(self.user_id),)
        return _user(self.user_id), _session(self.session_id)


def _user(user_id: UUID) -> str:
    return f"user:{user_id}"


def _session(session_id: UUID) -> str:
    return f"session:{session_id}"


class CachedAccessStates:
    def __init__(
        self,
        database: AccessStates,
        store: CacheStore[AccessState],
        client_store: CacheStore[ClientAccessState],
        ttl_seconds: float,
    ) -> None:
        self._database = database
        self._cache: CacheAside[SessionKey, AccessState] = CacheAside(
            store, name="access", ttl_seconds=ttl_seconds, depends_on=SessionKey.depends_on
        )
        self._clients: CacheAside[UUID, ClientAccessState] = CacheAside(
            client_store, name="client_access", ttl_seconds=ttl_seconds
        )

    def reading_through(self, batch: ReadBatch) -> "CachedAccessStates":
        """These access states for one request: the lookup goes through its batch."""
        return request_view(
            self,
            _cache=self._cache.reading_through(batch),
            _clients=self._clients.reading_through(batch),
        )

    async def get(self, user_id: UUID, session_id: UUID | None) -> AccessState | None:
        return await self._cache.get_or_load(
            SessionKey(user_id, session_id), lambda: self._database.get(user_id, session_id)
        )

    async def forget_user(self, user_id: UUID) -> None:
        await self._database.forget_user(user_id)
        await self._cache.forget_dependents(_user(user_id))

    async def forget_session(self, session_id: UUID) -> None:
        await self._database.forget_session(session_id)
        await self._cache.forget_dependents(_session(session_id))

    async def get_client(self, client_id: UUID) -> ClientAccessState | None:
        return await self._clients.get_or_load(
            client_id, lambda: self._database.get_client(client_id)
        )

    async def forget_client(self, client_id: UUID) -> None:
        await self._database.forget_client(client_id)
        await self._clients.forget(client_id)
