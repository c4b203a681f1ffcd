"""Use cases of service clients: administrators make, list, rotate and revoke them; a client
exchanges its id and secret for an access token (the OAuth2 client-credentials grant)."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from ..actor import Actor
from ..audit.entities import AuditAction
from ..auth.entities import IssuedAccessToken
from ..auth.errors import InvalidClientError
from ..auth.login_throttle import LoginThrottle
from ..auth.ports import AccessStates, AccessTokens
from ..auth.refresh_tokens import new_client_secret
from ..clock import utc_now
from ..pagination import Page, PageRequest
from ..permissions import CLIENT_GRANTABLE, Permission
from ..unit_of_work import UnitOfWork
from .entities import IssuedClientSecret, ServiceClient
from .errors import PermissionNotGrantableError, ServiceClientNotFoundError


class ServiceClientService:
    def __init__(
        self,
        uow: UnitOfWork,
        tokens: AccessTokens,
        access_states: AccessStates,
        throttle: LoginThrottle,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._access_states = access_states
        self._throttle = throttle
        self._clock = clock

    async def create(
        self, actor: Actor, name: str, permissions: frozenset[Permission]
    ) -> IssuedClientSecret:
        refused = permissions - CLIENT_GRANTABLE
        if refused:
            raise PermissionNotGrantableError(refused)
        secret, secret_hash = new_client_secret()
        client = ServiceClient(
            name=name, permissions=permissions, secret_hash=secret_hash, created_at=self._clock()
        )
        async with self._uow as uow:
            await uow.service_clients.add(client)
            await uow.audit.record(
                AuditAction.SERVICE_CLIENT_CREATED,
                actor=actor.user_id,
                subject=client.id,
                details={"permissions": " ".join(sorted(permissions))},
            )
            await uow.commit()
        return IssuedClientSecret(client, secret)

    async def list(self, page: PageRequest) -> Page[ServiceClient]:
        async with self._uow.read_only() as uow:
            return await uow.service_clients.list_live(page)

    async def rotate_secret(self, actor: Actor, client_id: UUID) -> IssuedClientSecret:
        """A new secret; the old one stops working, and so do the tokens issued for it."""
        secret, secret_hash = new_client_secret()
        async with self._uow as uow:
            current = await self._live(uow, client_id)
            rotated = current.with_new_secret(secret_hash)
            await uow.service_clients.update(rotated)
            await uow.audit.record(
                AuditAction.SERVICE_CLIENT_SECRET_ROTATED, actor=actor.user_id, subject=client_id
            )
            await uow.commit()
        await self._access_states.forget_client(client_id)
        return IssuedClientSecret(rotated, secret)

    async def revoke(self, actor: Actor, client_id: UUID) -> None:
        """Its secret and its tokens are refused from the next request on."""
        async with self._uow as uow:
            current = await self._live(uow, client_id)
            await uow.service_clients.update(current.revoked(self._clock()))
            await uow.audit.record(
                AuditAction.SERVICE_CLIENT_REVOKED, actor=actor.user_id, subject=client_id
            )
            await uow.commit()
        await self._access_states.forget_client(client_id)

    async def issue_token(self, client_id: str, secret: str, address: str) -> IssuedAccessToken:
        """The client-credentials grant. No refresh token: the client holds its secret and
        asks again (RFC 6749 section 4.4.3). Failures are counted like failed sign-ins."""
        await self._throttle.check(client_id, address)
        client = await self._find(client_id)
        if client is None or not client.accepts(secret):
            await self._throttle.record_failure(client_id, address)
            await self._record_failure(client)
            raise InvalidClientError()
        await self._throttle.record_success(client_id)
        return self._tokens.issue_for_client(client.id, client.secret_id, client.permissions)

    async def _find(self, client_id: str) -> ServiceClient | None:
        try:
            known_id = UUID(client_id)
        except ValueError:
            return None  # not an id we could have issued: the same answer as an unknown one
        async with self._uow.read_only() as uow:
            return await uow.service_clients.get(known_id)

    async def _record_failure(self, client: ServiceClient | None) -> None:
        async with self._uow as uow:
            await uow.audit.record(
                AuditAction.SERVICE_CLIENT_SIGN_IN_FAILED,
                actor=None,
                subject=None if client is None else client.id,
            )
            await uow.commit()

    @staticmethod
    async def _live(uow: UnitOfWork, client_id: UUID) -> ServiceClient:
        client = await uow.service_clients.get(client_id, for_update=True)
        if client is None or client.is_revoked:
            raise ServiceClientNotFoundError(client_id)
        return client
