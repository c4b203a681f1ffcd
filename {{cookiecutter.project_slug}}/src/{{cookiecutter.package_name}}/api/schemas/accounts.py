"""Bodies of the account endpoints: password reset, password change, and sessions."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr

from ...domain.users.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

# SecretStr: printed as `**********`, so a stray log line or repr cannot leak it.
NewPassword = Annotated[
    SecretStr, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
]


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class PasswordResetConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: SecretStr = Field(min_length=1, max_length=512)
    new_password: NewPassword


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Not held to today's length rule: an older password may predate it.
    current_password: SecretStr = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)
    new_password: NewPassword


class SessionOut(BaseModel):
    sid: UUID
    created_at: datetime
    last_used_at: datetime = Field(description="The last refresh, or the sign-in")
    user_agent: str | None = Field(description="The User-Agent it signed in with")
    client: str | None = Field(description="The client address it signed in from")
    current: bool = Field(description="Whether this is the session of the calling token")
