"""An audit event: one security-relevant action, as the trail keeps it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from ..clock import utc_now


class AuditAction(StrEnum):
    """`<thing>.<what happened>`. Stable: admins filter on these and alerts match them."""

    SIGN_IN_SUCCEEDED = "sign_in.succeeded"
    SIGN_IN_FAILED = "sign_in.failed"
    SIGNED_OUT = "session.signed_out"
    REFRESH_TOKEN_REUSED = "session.refresh_token_reused"  # noqa: S105 - a name, not a secret
    SESSION_ENDED = "session.ended"  # by its owner, from the sessions list
    PASSWORD_RESET_REQUESTED = "password.reset_requested"  # noqa: S105 - a name, not a secret
    PASSWORD_RESET = "password.reset"  # noqa: S105 - a name, not a secret
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - a name, not a secret
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    DATA_EXPORTED = "account.exported"
    ERASURE_REQUESTED = "account.erasure_requested"
    ACCOUNT_ERASED = "account.erased"
    USER_PROVISIONED = "user.provisioned"  # on first sight of an identity provider's token
    SERVICE_CLIENT_CREATED = "service_client.created"
    SERVICE_CLIENT_SECRET_ROTATED = "service_client.secret_rotated"  # noqa: S105 - a name
    SERVICE_CLIENT_REVOKED = "service_client.revoked"
    SERVICE_CLIENT_SIGN_IN_FAILED = "service_client.sign_in_failed"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """`actor` did `action` to `subject`. Either may be `None`: no one signed in (a failed
    sign-in), or the system itself (the worker's erasure). `client` and `trace_id` are the
    request's, filled in by the adapter; `details` never holds an email address or a secret."""

    action: AuditAction
    actor_id: UUID | None
    subject_id: UUID | None
    client: str | None = None
    trace_id: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    id: UUID = field(default_factory=uuid4)
    occurred_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """What an administrator filters the trail by; `None` does not filter."""

    actor_id: UUID | None = None
    subject_id: UUID | None = None
    action: AuditAction | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
