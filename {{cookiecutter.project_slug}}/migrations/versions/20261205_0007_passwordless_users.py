"""Users without a password: the identity provider's accounts (OIDC_ISSUER), made on first sight.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import base64
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite alters a table by copying it (Alembic's "move and copy").
    with op.batch_alter_table("users") as batch:
        batch.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)


def downgrade() -> None:
    # A passwordless account gets an argon2id hash of random bytes, which no password matches:
    # it could not sign in with one before the downgrade, and cannot after it.
    unmatchable = sa.text("UPDATE users SET password_hash = :hash WHERE password_hash IS NULL")
    op.execute(unmatchable.bindparams(hash=_random_argon2_hash()))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("password_hash", existing_type=sa.String(length=255), nullable=False)


def _random_argon2_hash() -> str:
    def encoded(size: int) -> str:
        return base64.b64encode(secrets.token_bytes(size)).decode().rstrip("=")

    return f"$argon2id$v=19$m=65536,t=3,p=4${encoded(16)}${encoded(32)}"
