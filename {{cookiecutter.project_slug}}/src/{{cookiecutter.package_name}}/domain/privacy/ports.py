"""What privacy needs from storage: `uow.personal_data`, one user's rows outside their account.

The account row is the user repository's and the audit trail is `uow.audit`'s; this port covers
the rest, so an export and an erasure name every table that holds a user's data in one place.
Adding a table that holds personal data means adding it here (docs/accounts.md).
"""

from typing import Protocol
from uuid import UUID

{% if cookiecutter.include_example_domain == "y" -%}
from ..items.entities import Item
{% endif -%}
from ..jobs.entities import Job
from .entities import SessionRecord


class PersonalData(Protocol):
    async def sessions(self, user_id: UUID) -> list[SessionRecord]:
        """Newest first, revoked ones included."""
        ...

    async def jobs(self, user_id: UUID) -> list[Job]: ...
{%- if cookiecutter.include_example_domain == "y" %}

    async def items(self, user_id: UUID) -> list[Item]: ...
{%- endif %}

    async def delete_sessions(self, user_id: UUID) -> list[UUID]:
        """Deletes the user's sessions with every refresh token in them; returns their ids."""
        ...

    async def delete_jobs(self, user_id: UUID) -> int: ...
{%- if cookiecutter.include_example_domain == "y" %}

    async def delete_items(self, user_id: UUID) -> list[UUID]:
        """Deletes the user's items; returns their ids."""
        ...
{%- endif %}
