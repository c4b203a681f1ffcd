"""`/api/v1/auth/sessions`: the caller's sessions, and ending them."""

from uuid import UUID

from fastapi import APIRouter, status

from ..deps import Pagination, SessionOwner
from ..problems import problem_docs
from ..schemas.accounts import SessionOut
from ..schemas.pagination import PageMeta, PageOut

router = APIRouter(prefix="/api/v1/auth/sessions", tags=["auth"], responses=problem_docs(401, 429))


@router.get("", response_model=PageOut[SessionOut], responses=problem_docs(422))
async def list_sessions(caller: SessionOwner, page: Pagination) -> PageOut[SessionOut]:
    """The caller's live sessions, newest first; `current` marks the one calling."""
    found = await caller.service.list(caller.actor, page)
    sessions = [
        SessionOut(
            sid=session.family.id,
            created_at=session.family.created_at,
            last_used_at=session.last_used_at,
            user_agent=session.family.user_agent,
            client=session.family.client,
            current=session.family.id == caller.actor.session_id,
        )
        for session in found.items
    ]
    return PageOut[SessionOut](
        data=sessions, meta=PageMeta(total=found.total, limit=page.limit, offset=page.offset)
    )


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def end_other_sessions(caller: SessionOwner) -> None:
    """Sign out everywhere else: every session but the calling one ends."""
    await caller.service.end_others(caller.actor)


@router.delete("/{sid}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_docs(404, 422))
async def end_session(sid: UUID, caller: SessionOwner) -> None:
    """End one session: its tokens are refused from the next request on."""
    await caller.service.end(caller.actor, sid)
