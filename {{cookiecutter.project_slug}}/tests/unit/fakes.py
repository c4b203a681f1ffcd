"""In-memory fakes of the domain's ports: obviously correct, no server, no SQLAlchemy."""

import copy
from collections.abc import {% if cookiecutter.include_example_domain == "y" %}Collection, {% endif %}Hashable, Iterable
from dataclasses import replace
from datetime import datetime
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.auth.entities import (
    PasswordResetToken,
    RefreshToken,
    RefreshTokenFamily,
    Session,
)
from {{ cookiecutter.package_name }}.domain.cache import Loader
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item
from {{ cookiecutter.package_name }}.domain.items.ports import ItemFilter, ItemTotals
{%- endif %}
from {{ cookiecutter.package_name }}.domain.pagination import Identified, Page, PageRequest, page_of
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.domain.users.errors import EmailTakenError
from {{ cookiecutter.package_name }}.domain.users.ports import UserFilter

from .idempotency_fakes import InMemoryIdempotencyRecords
from .job_fakes import InMemoryJobs, InMemoryOutbox, InMemoryProcessedMessages
from .privacy_fakes import InMemoryAuditLog, InMemoryPersonalData
from .service_client_fakes import InMemoryServiceClients

E = TypeVar("E", bound=Identified)


def page_in_memory(rows: Iterable[E], page: PageRequest) -> Page[E]:
    """What a repository's SQL does, said with `sorted`: order by (field, id), continue after
    the cursor or skip the offset, and read one row past the page."""
    rows = list(rows)

    def position(row: E) -> tuple[Any, UUID]:
        return getattr(row, page.order.field), row.id

    ordered = sorted(rows, key=position, reverse=page.order.descending)
    if page.after is not None:
        mark, descending = (page.after.value, page.after.id), page.order.descending

        def is_after(row: E) -> bool:
            return position(row) < mark if descending else position(row) > mark

        ordered = [row for row in ordered if is_after(row)]
    return page_of(ordered[page.offset : page.offset + page.limit + 1], len(rows), page)


class InMemoryUsers:
    def __init__(self) -> None:
        self.rows: dict[UUID, User] = {}

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return self.rows.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        return next((user for user in self.rows.values() if user.email == email), None)

    async def list(self, page: PageRequest, where: UserFilter) -> Page[User]:
        return page_in_memory(
            (
                user
                for user in self.rows.values()
                if where.role in (None, user.role) and where.is_active in (None, user.is_active)
            ),
            page,
        )

    async def add(self, user: User) -> None:
        if await self.get_by_email(user.email) is not None:
            raise EmailTakenError()
        self.rows[user.id] = user

    async def update(self, user: User) -> None:
        self.rows[user.id] = user


class InMemoryRefreshTokens:
    def __init__(self) -> None:
        self.families: dict[UUID, RefreshTokenFamily] = {}
        self.tokens: dict[str, RefreshToken] = {}  # by hash, as the database finds them

    def snapshot(self) -> Self:
        copy = type(self)()
        copy.families, copy.tokens = dict(self.families), dict(self.tokens)
        return copy

    async def add_family(self, family: RefreshTokenFamily) -> None:
        self.families[family.id] = family

    async def add(self, token: RefreshToken) -> None:
        self.tokens[token.token_hash] = token

    async def find(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        token = self.tokens.get(token_hash)
        return None if token is None else replace(token, family=self.families[token.family.id])

    async def spend(self, token_id: UUID, at: datetime) -> None:
        for token_hash, token in self.tokens.items():
            if token.id == token_id:
                self.tokens[token_hash] = replace(token, spent_at=at)

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        if not self.families[family_id].is_revoked:
            self.families[family_id] = replace(self.families[family_id], revoked_at=at)

    async def revoke_families_of(
        self, user_id: UUID, at: datetime, *, keep: UUID | None = None
    ) -> list[UUID]:
        live = [
            f.id
            for f in self.families.values()
            if f.user_id == user_id and not f.is_revoked and f.id != keep
        ]
        for family_id in live:
            await self.revoke_family(family_id, at)
        return live

    async def list_live(self, user_id: UUID, now: datetime) -> list[Session]:
        sessions = []
        for family in self.families.values():
            tokens = [t for t in self.tokens.values() if t.family.id == family.id]
            if family.user_id != user_id or family.is_revoked or not tokens:
                continue
            if max(t.expires_at for t in tokens) > now:
                last_used_at = max(t.created_at for t in tokens)
                sessions.append(Session(family=family, last_used_at=last_used_at))
        return sorted(sessions, key=lambda s: s.family.created_at, reverse=True)
{%- if cookiecutter.include_example_domain == "n" %}

    async def count_live(self, user_id: UUID) -> int:
        return sum(1 for f in self.families.values() if f.user_id == user_id and not f.is_revoked)
{%- endif %}

    async def purge_expired(self, before: datetime, limit: int) -> int:
        expired = [key for key, token in self.tokens.items() if token.expires_at < before][:limit]
        for key in expired:
            del self.tokens[key]
        return len(expired)


class InMemoryPasswordResetTokens:
    def __init__(self) -> None:
        self.tokens: dict[str, PasswordResetToken] = {}  # by hash

    def snapshot(self) -> Self:
        copy = type(self)()
        copy.tokens = dict(self.tokens)
        return copy

    async def add(self, token: PasswordResetToken) -> None:
        self.tokens[token.token_hash] = token

    async def find(self, token_hash: str, *, for_update: bool = False) -> PasswordResetToken | None:
        return self.tokens.get(token_hash)

    async def spend_all_of(self, user_id: UUID, at: datetime) -> None:
        for key, token in self.tokens.items():
            if token.user_id == user_id and token.spent_at is None:
                self.tokens[key] = replace(token, spent_at=at)

    async def purge_expired(self, before: datetime, limit: int) -> int:
        expired = [key for key, token in self.tokens.items() if token.expires_at < before][:limit]
        for key in expired:
            del self.tokens[key]
        return len(expired)
{%- if cookiecutter.include_example_domain == "y" %}


class InMemoryItems:
    def __init__(self) -> None:
        self.rows: dict[UUID, Item] = {}

    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None:
        return self.rows.get(item_id)

    async def list(
        self, page: PageRequest, where: ItemFilter, *, owner_id: UUID | None = None
    ) -> Page[Item]:
        return page_in_memory(
            (
                item
                for item in self.rows.values()
                if owner_id in (None, item.owner_id) and _matches(item, where)
            ),
            page,
        )

    async def add(self, item: Item) -> None:
        self.rows[item.id] = item

    async def update(self, item: Item, *, expected_versions: Collection[int]) -> bool:
        if self.rows[item.id].version not in expected_versions:
            return False
        self.rows[item.id] = replace(item)
        return True

    async def delete(
        self, item_id: UUID, *, expected_versions: Collection[int] | None = None
    ) -> bool:
        stored = self.rows.get(item_id)
        if stored is None or (
            expected_versions is not None and stored.version not in expected_versions
        ):
            return False
        del self.rows[item_id]
        return True

    async def totals(self, owner_id: UUID) -> ItemTotals:
        prices = [item.price for item in self.rows.values() if item.owner_id == owner_id]
        return ItemTotals(count=len(prices), total_price=sum(prices, Decimal(0)))


def _matches(item: Item, where: ItemFilter) -> bool:
    return (
        (where.name_contains is None or where.name_contains.lower() in item.name.lower())
        and (where.min_price is None or item.price >= where.min_price)
        and (where.max_price is None or item.price <= where.max_price)
    )
{%- endif %}


class FakeUnitOfWork:
    """Changes become visible in `committed` state only on `commit()`, like a real transaction."""

    def __init__(self) -> None:
        self.committed_users, self.users = InMemoryUsers(), InMemoryUsers()
        self.committed_refresh_tokens = InMemoryRefreshTokens()
        self.refresh_tokens = InMemoryRefreshTokens()
        self.committed_password_reset_tokens = InMemoryPasswordResetTokens()
        self.password_reset_tokens = InMemoryPasswordResetTokens()
        self.committed_jobs, self.jobs = InMemoryJobs(), InMemoryJobs()
        self.committed_outbox, self.outbox = InMemoryOutbox(), InMemoryOutbox()
        self.committed_processed_messages = InMemoryProcessedMessages()
        self.processed_messages = InMemoryProcessedMessages()
        self.committed_idempotency_records = InMemoryIdempotencyRecords()
        self.idempotency_records = InMemoryIdempotencyRecords()
        self.committed_audit, self.audit = InMemoryAuditLog(), InMemoryAuditLog()
        self.committed_service_clients = InMemoryServiceClients()
        self.service_clients = InMemoryServiceClients()
{%- if cookiecutter.include_example_domain == "y" %}
        self.committed_items = InMemoryItems()
        self.items = InMemoryItems()
{%- endif %}
        self.commits = 0
        self.reads_only = False
        self.is_joined = False

    @property
    def personal_data(self) -> InMemoryPersonalData:
        return InMemoryPersonalData(self)

    def read_only(self) -> Self:
        view = copy.copy(self)  # the same committed state
        view.reads_only = True
        return view

    def joined(self) -> Self:
        view = copy.copy(self)  # the same working state: the block that entered self commits
        view.is_joined = True
        return view

    async def __aenter__(self) -> Self:
        if self.is_joined:
            return self
        self.users.rows = dict(self.committed_users.rows)
        self.refresh_tokens = self.committed_refresh_tokens.snapshot()
        self.password_reset_tokens = self.committed_password_reset_tokens.snapshot()
        self.jobs = self.committed_jobs.copy()
        self.outbox = self.committed_outbox.copy()
        self.processed_messages = self.committed_processed_messages.copy()
        self.idempotency_records = self.committed_idempotency_records.copy()
        self.audit = self.committed_audit.copy()
        self.service_clients = self.committed_service_clients.copy()
{%- if cookiecutter.include_example_domain == "y" %}
        self.items.rows = dict(self.committed_items.rows)
{%- endif %}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        if self.reads_only:
            raise AssertionError("commit() in a read-only unit of work")
        if self.is_joined:
            return
        self.committed_users.rows = dict(self.users.rows)
        self.committed_refresh_tokens = self.refresh_tokens.snapshot()
        self.committed_password_reset_tokens = self.password_reset_tokens.snapshot()
        self.committed_jobs = self.jobs.copy()
        self.committed_outbox = self.outbox.copy()
        self.committed_processed_messages = self.processed_messages.copy()
        self.committed_idempotency_records = self.idempotency_records.copy()
        self.committed_audit = self.audit.copy()
        self.committed_service_clients = self.service_clients.copy()
{%- if cookiecutter.include_example_domain == "y" %}
        self.committed_items.rows = dict(self.items.rows)
{%- endif %}
        self.commits += 1


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class InMemoryCache(Generic[K, V]):
    """The `Cache` port as a dict; it remembers what was forgotten, for assertions."""

    def __init__(self) -> None:
        self.entries: dict[K, V] = {}
        self.forgotten: list[K] = []

    async def get_or_load(self, key: K, load: Loader[V]) -> V | None:
        if key in self.entries:
            return self.entries[key]
        value = await load()
        if value is not None:
            self.entries[key] = value
        return value

    async def forget(self, key: K) -> None:
        self.entries.pop(key, None)
        self.forgotten.append(key)
