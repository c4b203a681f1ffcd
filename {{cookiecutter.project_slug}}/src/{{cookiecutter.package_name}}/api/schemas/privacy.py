"""The export document, and the bodies of an erasure request."""

from datetime import datetime
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ...domain.permissions import Role
from ...domain.users.passwords import PASSWORD_MAX_LENGTH
from .audit import AuditEventOut
from .jobs import JobOut


class ExportedProfile(BaseModel):
    """The account as stored, every column but the password hash."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    email: str
    full_name: str | None
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ExportedSession(BaseModel):
    """A session as its refresh-token records show it; the token hashes are not handed out."""

    model_config = ConfigDict(from_attributes=True)

    sid: UUID = Field(validation_alias="id")
    created_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None
{%- if cookiecutter.include_example_domain == "y" %}


class ExportedItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    description: str | None
    price: Decimal
    created_at: datetime
    updated_at: datetime
{%- endif %}


class AccountExportOut(BaseModel):
    """Everything the service holds about the caller, in one JSON document (GDPR article 20)."""

    model_config = ConfigDict(from_attributes=True)

    exported_at: datetime
    profile: ExportedProfile = Field(validation_alias="user")
    sessions: list[ExportedSession]
    jobs: list[JobOut]
{%- if cookiecutter.include_example_domain == "y" %}
    items: list[ExportedItem]
{%- endif %}
    audit_events: list[AuditEventOut]


class ErasureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: SecretStr = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)


class ErasureAccepted(BaseModel):
    user_id: UUID
    status: Literal["erasure_scheduled"] = "erasure_scheduled"
