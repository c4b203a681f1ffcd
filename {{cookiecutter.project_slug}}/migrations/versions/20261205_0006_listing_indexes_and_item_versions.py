"""Indexes behind the listings' filters and orders{% if cookiecutter.include_example_domain == "y" %}, and the item version behind ETags{% endif %}.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from collections.abc import Sequence
{% if cookiecutter.include_example_domain == "y" %}
import sqlalchemy as sa
{%- endif %}
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_users_role_created_at", "users", ["role", "created_at"])
    op.create_index("ix_users_is_active_created_at", "users", ["is_active", "created_at"])
{%- if cookiecutter.include_example_domain == "y" %}
    # Batch mode: SQLite alters a table by copying it (Alembic's "move and copy").
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_index("ix_items_price", "items", ["price"])
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_items_name",
            "items",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )
    else:
        op.create_index("ix_items_name", "items", ["name"])
{%- endif %}


def downgrade() -> None:
{%- if cookiecutter.include_example_domain == "y" %}
    op.drop_index("ix_items_name", table_name="items")
    op.drop_index("ix_items_price", table_name="items")
    with op.batch_alter_table("items") as batch:
        batch.drop_column("version")
{%- endif %}
    op.drop_index("ix_users_is_active_created_at", table_name="users")
    op.drop_index("ix_users_role_created_at", table_name="users")
