"""Service client bodies. The secret appears in one answer only: the one that made it."""

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ...domain.permissions import Permission
from ...domain.service_clients.entities import (
    NAME_MAX_LENGTH,
    IssuedClientSecret,
    ServiceClient,
)
from .storable import STORABLE_NOT_BLANK

ClientName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    STORABLE_NOT_BLANK,
]


class ServiceClientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ClientName = Field(description="Who the client is, for the administrators' list.")
    permissions: list[Permission] = Field(
        min_length=1,
        max_length=len(Permission),
        description="What the client may do; only some permissions can be granted to a "
        "client (docs/for-callers.md).",
    )


class ServiceClientOut(BaseModel):
    id: UUID = Field(description="The `client_id` of the client-credentials grant.")
    name: str
    permissions: list[Permission]
    created_at: datetime

    @classmethod
    def of(cls, client: ServiceClient) -> Self:
        return cls(
            id=client.id,
            name=client.name,
            permissions=sorted(client.permissions),
            created_at=client.created_at,
        )


class ServiceClientSecretOut(ServiceClientOut):
    client_secret: str = Field(description="Shown this once; only a hash of it is kept.")

    @classmethod
    def of_issued(cls, issued: IssuedClientSecret) -> Self:
        client = issued.client
        return cls(
            id=client.id,
            name=client.name,
            permissions=sorted(client.permissions),
            created_at=client.created_at,
            client_secret=issued.secret,
        )
