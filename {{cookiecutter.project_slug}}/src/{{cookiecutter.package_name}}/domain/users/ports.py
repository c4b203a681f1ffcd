"""What the user services need from the outside world, stated as protocols."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..cache import Cache
from ..pagination import Page, PageRequest, Sorting
from ..permissions import Role
from .entities import User, UserProfile

USER_SORTING = Sorting({"created_at": datetime, "email": str})


@dataclass(frozen=True, slots=True)
class UserFilter:
    """What an administrator narrows the user listing to; `None` leaves that condition out."""

    role: Role | None = None
    is_active: bool | None = None


class UserRepository(Protocol):
    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None:
        """`email` is normalized (see `normalize_email`)."""
        ...

    async def list(self, page: PageRequest, where: UserFilter) -> Page[User]:
        """In `page.order` (one of `USER_SORTING`)."""
        ...

    async def add(self, user: User) -> None:
        """Raises `EmailTakenError` when the address is registered already."""
        ...

    async def update(self, user: User) -> None: ...


class UserProfileCache(Cache[UUID, UserProfile], Protocol):
    """`/users/me` is read on every page a client shows, so it is cached like any hot read.
    Every change to what a profile shows (role, activity, email, name) must `forget` it."""


@dataclass(frozen=True, slots=True)
class PasswordCheck:
    is_valid: bool
    # A fresh hash when the stored one was made with parameters other than the current ones.
    new_hash: str | None = field(default=None, repr=False)


class PasswordHasher(Protocol):
    """A slow, salted password hash. Async because it is CPU-bound on purpose: adapters run it
    off the event loop so that one login does not stall every other request."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password: str, password_hash: str | None) -> PasswordCheck:
        """`password_hash=None` stands for an unknown account: the check must still take as
        long as a real one, so response times do not tell which emails are registered."""
        ...
