"""registration attempts: counted per address to throttle account creation

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("registration_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_attempt_address"), ["address"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_registration_attempt_at"), ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("registration_attempt")
