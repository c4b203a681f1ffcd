"""`/api/v1/service-clients`: administrators make, list, rotate and revoke service clients,
which then sign in with the client-credentials grant at `/api/v1/auth/token`."""

from uuid import UUID

from fastapi import APIRouter, Response, status

from ..deps import Pagination, ServiceClientAdmin
from ..problems import problem_docs
from ..schemas.pagination import PageOut
from ..schemas.service_clients import ServiceClientIn, ServiceClientOut, ServiceClientSecretOut

router = APIRouter(
    prefix="/api/v1/service-clients",
    tags=["service clients"],
    responses=problem_docs(401, 403, 422, 429),
)

# The answers that show a secret must not be kept by browsers or proxies (as tokens: RFC 6749).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post("", response_model=ServiceClientSecretOut, status_code=status.HTTP_201_CREATED)
async def create_service_client(
    body: ServiceClientIn, caller: ServiceClientAdmin, response: Response
) -> ServiceClientSecretOut:
    """The `client_secret` is in this answer only: store it where the client service reads it."""
    issued = await caller.service.create(caller.actor, body.name, frozenset(body.permissions))
    response.headers.update(NO_STORE)
    return ServiceClientSecretOut.of_issued(issued)


@router.get("", response_model=PageOut[ServiceClientOut])
async def list_service_clients(
    caller: ServiceClientAdmin, page: Pagination
) -> PageOut[ServiceClientOut]:
    """The clients not revoked, newest first; secrets are never shown again."""
    found = await caller.service.list(page)
    return PageOut[ServiceClientOut].of(
        found, [ServiceClientOut.of(client) for client in found.items]
    )


@router.post(
    "/{client_id}/rotate", response_model=ServiceClientSecretOut, responses=problem_docs(404)
)
async def rotate_service_client_secret(
    client_id: UUID, caller: ServiceClientAdmin, response: Response
) -> ServiceClientSecretOut:
    """A new secret, shown once; the old one, and the tokens issued with it, stop working."""
    issued = await caller.service.rotate_secret(caller.actor, client_id)
    response.headers.update(NO_STORE)
    return ServiceClientSecretOut.of_issued(issued)


@router.delete("/{client_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_docs(404))
async def revoke_service_client(client_id: UUID, caller: ServiceClientAdmin) -> None:
    """Its secret and its tokens are refused from the next request on."""
    await caller.service.revoke(caller.actor, client_id)
