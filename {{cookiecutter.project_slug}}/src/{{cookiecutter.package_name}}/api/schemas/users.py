"""User bodies. Unknown fields are rejected, so nobody can register as an admin by adding
`"role": "admin"` to the body (mass assignment), and no response ever carries a password hash."""

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from fastapi import Query
from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    SecretStr,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from ...domain.permissions import Role
from ...domain.users.entities import FULL_NAME_MAX_LENGTH, UserChanges
from ...domain.users.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from ...domain.users.ports import UserFilter
from .storable import STORABLE_NOT_BLANK, STORABLE_SECRET

FullName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=FULL_NAME_MAX_LENGTH),
    STORABLE_NOT_BLANK,
]


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    # SecretStr: printed as `**********`, so a stray log line or repr cannot leak it.
    password: Annotated[
        SecretStr,
        Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
        STORABLE_SECRET,
    ]
    full_name: FullName | None = None


class UserUpdate(BaseModel):
    """What an administrator may change: role and activity, nothing else."""

    # minProperties: the document's word for "at least one" (checked below).
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    # Absent is "unchanged"; null is refused (below), so the document offers no null for them.
    role: Role | SkipJsonSchema[None] = None
    # Strict: `0` or `"no"` for a boolean is refused (422), as the document's `boolean` says.
    is_active: StrictBool | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def require_a_change(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one of role, is_active")
        for field in self.model_fields_set:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def to_changes(self) -> UserChanges:
        return UserChanges(role=self.role, is_active=self.is_active)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    email: str
    full_name: str | None
    role: Role
    is_active: bool
    created_at: datetime


async def user_filter(
    role: Annotated[Role | None, Query(description="Only users with this role.")] = None,
    is_active: Annotated[bool | None, Query(description="Only active, or inactive, users.")] = None,
) -> UserFilter:
    return UserFilter(role=role, is_active=is_active)
