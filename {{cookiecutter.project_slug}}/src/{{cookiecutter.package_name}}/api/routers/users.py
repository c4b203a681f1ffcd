"""`/api/v1/users`: the caller's own account, and user administration for admins."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from ...domain.actor import Actor
from ...domain.users.entities import User
from ..deps import Pagination, Users
from ..problems import problem_docs
from ..schemas.pagination import PageMeta, PageOut
from ..schemas.users import UserOut, UserUpdate
from ..security import CurrentActor, require

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=problem_docs(401, 422))


@router.get("/me", response_model=UserOut)
async def read_me(actor: CurrentActor, users: Users) -> User:
    return await users.get(actor.user_id)


@router.get(
    "",
    response_model=PageOut[UserOut],
    dependencies=[Depends(require("users:read"))],
    responses=problem_docs(403),
)
async def list_users(users: Users, page: Pagination) -> PageOut[UserOut]:
    found = await users.list(page)
    return PageOut[UserOut](
        data=[UserOut.model_validate(user) for user in found.items],
        meta=PageMeta(total=found.total, limit=page.limit, offset=page.offset),
    )


@router.patch("/{user_id}", response_model=UserOut, responses=problem_docs(403, 404, 409))
async def update_user(
    user_id: UUID,
    body: UserUpdate,
    users: Users,
    actor: Annotated[Actor, Depends(require("users:write"))],
) -> User:
    """Change a user's role or deactivate them; it takes effect on their next request."""
    return await users.update(actor, user_id, body.to_changes())
