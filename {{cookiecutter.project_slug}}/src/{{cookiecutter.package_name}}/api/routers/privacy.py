"""`/api/v1/users`, the privacy part: export one's data, and erase an account (GDPR 15, 17, 20)."""

from uuid import UUID

from fastapi import APIRouter, status

from ...domain.privacy.entities import AccountExport
from ..deps import AccountOwner, PrivacyAdmin
from ..problems import problem_docs
from ..schemas.privacy import AccountExportOut, ErasureAccepted, ErasureRequest

router = APIRouter(prefix="/api/v1/users", tags=["privacy"], responses=problem_docs(401, 422, 429))


@router.get("/me/export", response_model=AccountExportOut)
async def export_my_data(caller: AccountOwner) -> AccountExport:
    """Everything the service holds about you, as one JSON document."""
    return await caller.service.export(caller.actor)


@router.delete("/me", status_code=status.HTTP_202_ACCEPTED, responses=problem_docs(403))
async def erase_my_account(body: ErasureRequest, caller: AccountOwner) -> ErasureAccepted:
    """Deactivate your account and end its sessions now; its data is erased shortly after."""
    await caller.service.erase_own_account(caller.actor, body.current_password.get_secret_value())
    return ErasureAccepted(user_id=caller.actor.user_id)


@router.delete(
    # `uuid`: so `/me` never reaches this route, whatever the order (a malformed id is a 404).
    "/{user_id:uuid}",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_docs(403, 404, 409),
)
async def erase_account(user_id: UUID, caller: PrivacyAdmin) -> ErasureAccepted:
    """Deactivate a user and end their sessions now; their data is erased shortly after."""
    await caller.service.erase_account(caller.actor, user_id)
    return ErasureAccepted(user_id=user_id)
