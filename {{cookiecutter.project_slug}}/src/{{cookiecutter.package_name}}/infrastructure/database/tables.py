"""The relational schema as SQLAlchemy declarative rows; Alembic autogenerate reads its metadata.

Rows are not domain entities: repositories translate between the two, so the domain never
depends on SQLAlchemy and the schema can change without touching business rules.
"""

from datetime import datetime
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ...domain.clock import utc_now
from .column_types import {% if cookiecutter.include_example_domain == "y" %}Money, {% endif %}UTCDateTime

# Deterministic constraint names, so Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampedRow(Base):
    __abstract__ = True

    id: Mapped[UUID] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class UserRow(TimestampedRow):
    __tablename__ = "users"
    # The admins' listing filters by role or activity, newest first: a filter on the rare value
    # (the admins, the deactivated) then reads only those rows, already in order.
    __table_args__ = (
        Index("ix_users_role_created_at", "role", "created_at"),
        Index("ix_users_is_active_created_at", "is_active", "created_at"),
    )

    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    # NULL: an account of the identity provider's, which no password opens (migration 0007).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    is_active: Mapped[bool]


class RefreshTokenFamilyRow(Base):
    """A session: the refresh tokens descended from one sign-in (`sid` in access tokens)."""

    __tablename__ = "refresh_token_families"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the session began, shown to its owner in their list of sessions.
    user_agent: Mapped[str | None] = mapped_column(String(255))
    client: Mapped[str | None] = mapped_column(String(64))


class ServiceClientRow(Base):
    """Another service that signs in with the client-credentials grant (domain/service_clients)."""

    __tablename__ = "service_clients"
    # The admins' listing: live clients, newest first.
    __table_args__ = (
        Index("ix_service_clients_revoked_at_created_at", "revoked_at", "created_at"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The granted permissions, space-separated as OAuth2 scopes are.
    permissions: Mapped[str] = mapped_column(Text)
    # SHA-256 in hex; the secret itself is never stored.
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The current secret's id: its tokens carry it in `sid`.
    secret_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RefreshTokenRow(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    family_id: Mapped[UUID] = mapped_column(
        ForeignKey("refresh_token_families.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 in hex; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # purges go by it
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetTokenRow(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 in hex; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # purges go by it
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
{%- if cookiecutter.include_example_domain == "y" %}


class ItemRow(TimestampedRow):
    __tablename__ = "items"
    __table_args__ = (
        # A user's listing filters by owner and sorts by age: one index serves both.
        Index("ix_items_owner_id_created_at", "owner_id", "created_at"),
        # The price range, and `sort=price`.
        Index("ix_items_price", "price"),
        # `name` contains: on PostgreSQL a trigram index serves `ILIKE '%...%'` (migration 0006
        # enables pg_trgm); elsewhere it is a plain index, which serves `sort=name`.
        Index(
            "ix_items_name",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Money)
    # The ETag: one more on every change; `If-Match` writes check it in their WHERE.
    version: Mapped[int] = mapped_column(server_default="1")
{%- endif %}


class JobRow(Base):
    __tablename__ = "jobs"
    # An owner's jobs, newest first.
    __table_args__ = (Index("ix_jobs_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMessageRow(Base):
    """A message for the worker, written in its cause's transaction (domain/outbox.py)."""

    __tablename__ = "outbox_messages"
    # The relay reads the unsent ones oldest first; housekeeping purges old sent ones.
    __table_args__ = (Index("ix_outbox_messages_sent_at_created_at", "sent_at", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, str]] = mapped_column(JSON)
    # The W3C trace context of the request that wrote it, so the worker continues its trace.
    headers: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the worker gave up on the message (the dead-letter record), with why.
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class ProcessedMessageRow(Base):
    """A message a handler has acted on: a second delivery of it does nothing."""

    __tablename__ = "processed_messages"

    message_id: Mapped[UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class IdempotencyKeyRow(Base):
    """A caller's `Idempotency-Key`, claimed in its effect's transaction (domain/idempotency.py).
    The primary key is the unique constraint that makes a second claim of one key impossible."""

    __tablename__ = "idempotency_keys"

    principal_id: Mapped[UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Null only inside the claiming transaction: what commits always has its response.
    status: Mapped[int | None]
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    location: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # purges go by it


class AuditEventRow(Base):
    """One security-relevant action (domain/audit). No foreign keys: events outlive users."""

    __tablename__ = "audit_events"
    # The listing sorts by time; admins filter by who acted or whom it concerned.
    __table_args__ = (
        Index("ix_audit_events_occurred_at_id", "occurred_at", "id"),
        Index("ix_audit_events_actor_id_occurred_at", "actor_id", "occurred_at"),
        Index("ix_audit_events_subject_id_occurred_at", "subject_id", "occurred_at"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[UUID | None]
    subject_id: Mapped[UUID | None]
    client: Mapped[str | None] = mapped_column(String(64))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, str]] = mapped_column(JSON)
