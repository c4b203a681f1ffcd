"""`/api/v1/users`: the caller's own account, and user administration for admins."""

from uuid import UUID

from fastapi import APIRouter

from ...domain.users.entities import User, UserProfile
from ..deps import SignedInUser, UserAdmin, UserFilterDep, UserPage, UserReader
from ..problems import problem_docs
from ..schemas.pagination import PageOut
from ..schemas.users import UserOut, UserUpdate

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=problem_docs(401, 422, 429))


@router.get("/me", response_model=UserOut)
async def read_me(caller: SignedInUser) -> UserProfile:
    return await caller.service.profile(caller.actor.user_id)


@router.get("", response_model=PageOut[UserOut], responses=problem_docs(403))
async def list_users(caller: UserReader, page: UserPage, where: UserFilterDep) -> PageOut[UserOut]:
    found = await caller.service.list(page, where)
    return PageOut[UserOut].of(found, [UserOut.model_validate(user) for user in found.items])


# `uuid`: so `/me` is not taken for a malformed id (a PATCH there is a 405, not a 422).
@router.patch("/{user_id:uuid}", response_model=UserOut, responses=problem_docs(403, 404, 409))
async def update_user(user_id: UUID, body: UserUpdate, caller: UserAdmin) -> User:
    """Change a user's role or deactivate them; it takes effect on their next request."""
    return await caller.service.update(caller.actor, user_id, body.to_changes())
