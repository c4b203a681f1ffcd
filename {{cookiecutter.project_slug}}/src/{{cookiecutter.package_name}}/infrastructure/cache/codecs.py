"""How values are written into Redis cache entries: a documented JSON envelope, never pickle.

    {"schema": 1, "stamps": ["<namespace stamp>", "<stamp>", ...], "value": {...}}

`value` is a codec's JSON for the cached value (the codecs below). JSON because a cache is read
by whatever version of the code runs next (and by people with `redis-cli`), and because
unpickling bytes from a shared server runs whatever they say. `stamps` are the stamps the entry
was read under (redis_store.py).
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from typing import Any, Protocol, TypeVar
from uuid import UUID

from ...domain.auth.entities import AccessState, ClientAccessState
{%- if cookiecutter.include_example_domain == "y" %}
from ...domain.items.entities import Item
{%- endif %}
from ...domain.permissions import Permission, Role
from ...domain.users.entities import UserProfile

V = TypeVar("V")


class JsonCodec(Protocol[V]):
    """How one kind of value is written into an entry. Bump `schema_version` whenever the
    shape changes: the keys carry it, so old and new code never read each other's entries."""

    schema_version: int

    def to_json(self, value: V) -> dict[str, Any]: ...

    def from_json(self, data: Mapping[str, Any]) -> V: ...


def encode_entry(codec: JsonCodec[V], value: V, stamps: Sequence[str]) -> str:
    entry = {"schema": codec.schema_version, "stamps": list(stamps), "value": codec.to_json(value)}
    return json.dumps(entry, separators=(",", ":"))


def decode_entry(codec: JsonCodec[V], raw: bytes | str) -> tuple[tuple[str, ...], V]:
    """The stamps the entry was written under, and its value. Raises on an entry that is not
    one (corrupt, or written by other code)."""
    entry = json.loads(raw)
    return tuple(entry["stamps"]), codec.from_json(entry["value"])


class AccessStateCodec:
    """Schema 1: {"role": "user", "is_active": true, "session_revoked": false}"""

    schema_version = 1

    def to_json(self, state: AccessState) -> dict[str, Any]:
        return {
            "role": state.role.value,
            "is_active": state.is_active,
            "session_revoked": state.session_revoked,
        }

    def from_json(self, data: Mapping[str, Any]) -> AccessState:
        return AccessState(
            role=Role(data["role"]),
            is_active=bool(data["is_active"]),
            session_revoked=bool(data["session_revoked"]),
        )


class ClientAccessStateCodec:
    """Schema 1: {"permissions": ["users:read", ...], "secret_id": "<uuid>", "is_revoked": false}"""

    schema_version = 1

    def to_json(self, state: ClientAccessState) -> dict[str, Any]:
        return {
            "permissions": sorted(state.permissions),
            "secret_id": str(state.secret_id),
            "is_revoked": state.is_revoked,
        }

    def from_json(self, data: Mapping[str, Any]) -> ClientAccessState:
        return ClientAccessState(
            permissions=frozenset(Permission(name) for name in data["permissions"]),
            secret_id=UUID(data["secret_id"]),
            is_revoked=bool(data["is_revoked"]),
        )


class UserProfileCodec:
    """Schema 1: {"id": "<uuid>", "email": "...", "full_name": "..." | null, "role": "user",
    "is_active": true, "created_at": "<ISO 8601 UTC>"}"""

    schema_version = 1

    def to_json(self, profile: UserProfile) -> dict[str, Any]:
        return {
            "id": str(profile.id),
            "email": profile.email,
            "full_name": profile.full_name,
            "role": profile.role.value,
            "is_active": profile.is_active,
            "created_at": profile.created_at.isoformat(),
        }

    def from_json(self, data: Mapping[str, Any]) -> UserProfile:
        return UserProfile(
            id=UUID(data["id"]),
            email=data["email"],
            full_name=data["full_name"],
            role=Role(data["role"]),
            is_active=bool(data["is_active"]),
            created_at=datetime.fromisoformat(data["created_at"]),
        )
{%- if cookiecutter.include_example_domain == "y" %}


class ItemCodec:
    """Schema 2: {"id": "<uuid>", "owner_id": "<uuid>", "name": "...", "description": "..." |
    null, "price": "19.99", "created_at": "<ISO 8601 UTC>", "updated_at": "<ISO 8601 UTC>",
    "version": 3}. The version is kept so that a cache hit answers with the ETag, without SQL."""

    schema_version = 2

    def to_json(self, item: Item) -> dict[str, Any]:
        return {
            "id": str(item.id),
            "owner_id": str(item.owner_id),
            "name": item.name,
            "description": item.description,
            "price": str(item.price),  # a string: JSON numbers are floats to most readers
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
            "version": item.version,
        }

    def from_json(self, data: Mapping[str, Any]) -> Item:
        return Item(
            id=UUID(data["id"]),
            owner_id=UUID(data["owner_id"]),
            name=data["name"],
            description=data["description"],
            price=Decimal(data["price"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            version=int(data["version"]),
        )
{%- endif %}
