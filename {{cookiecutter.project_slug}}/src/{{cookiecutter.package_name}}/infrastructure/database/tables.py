"""The relational schema as SQLAlchemy declarative rows; Alembic autogenerate reads its metadata.

Rows are not domain entities: repositories translate between the two, so the domain never
depends on SQLAlchemy and the schema can change without touching business rules.
"""

from datetime import datetime
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from uuid import UUID

from sqlalchemy import MetaData{% if cookiecutter.include_example_domain == "y" %}, String, Text{% endif %}
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
{%- if cookiecutter.include_example_domain == "y" %}


class ItemRow(TimestampedRow):
    __tablename__ = "items"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Money)
{%- endif %}
