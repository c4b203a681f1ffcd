"""What an export hands over: everything the service holds about one user, hashes left out."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from ..audit.entities import AuditEvent
from ..clock import utc_now
{%- if cookiecutter.include_example_domain == "y" %}
from ..items.entities import Item
{%- endif %}
from ..jobs.entities import Job
from ..users.entities import User


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session as its refresh-token records show it; the token hashes stay behind."""

    id: UUID  # the `sid` of its access tokens
    created_at: datetime
    last_used_at: datetime  # the newest refresh token issued in it
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccountExport:
    user: User  # the API shows every field but the password hash
    sessions: Sequence[SessionRecord]
    jobs: Sequence[Job]
{%- if cookiecutter.include_example_domain == "y" %}
    items: Sequence[Item]
{%- endif %}
    audit_events: Sequence[AuditEvent]
    exported_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class ErasedData:
    """What an erasure deleted, so that caches holding it can be told."""

    session_ids: Sequence[UUID]
{%- if cookiecutter.include_example_domain == "y" %}
    item_ids: Sequence[UUID]
{%- endif %}
