"""scenario runs: a learner's path through a scenario, and their reflection on it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("lesson_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("scenario_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("content_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("choices", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reflection", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_slug", "lesson_slug", "scenario_id"),
    )


def downgrade() -> None:
    op.drop_table("scenario_run")
