"""How an access state is written into a Redis cache entry (JSON, versioned, never a pickle).

Schema 1 (the entry's `value`): {"role": "user", "is_active": true, "session_revoked": false}
"""

from collections.abc import Mapping
from typing import Any

from ...domain.auth.entities import AccessState
from ...domain.permissions import Role


class AccessStateCodec:
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
