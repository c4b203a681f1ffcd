"""Initial schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence
{%- if cookiecutter.include_example_domain == "y" %}

import sqlalchemy as sa
from alembic import op

from {{ cookiecutter.package_name }}.infrastructure.database.column_types import Money, UTCDateTime
{%- endif %}

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
{%- if cookiecutter.include_example_domain == "y" %}
    op.create_table(
        "items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", Money(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
    )
    op.create_index(op.f("ix_items_created_at"), "items", ["created_at"])
{%- else %}
    pass
{%- endif %}


def downgrade() -> None:
{%- if cookiecutter.include_example_domain == "y" %}
    op.drop_index(op.f("ix_items_created_at"), table_name="items")
    op.drop_table("items")
{%- else %}
    pass
{%- endif %}
