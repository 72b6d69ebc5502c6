"""review cards: the 3-minute review's FSRS schedule per learner and question, and its log

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("lesson_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("card", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("due", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_rating", sa.Integer(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_slug", "question_id"),
    )
    with op.batch_alter_table("review_card", schema=None) as batch_op:
        batch_op.create_index("ix_review_card_user_due", ["user_id", "due"], unique=False)

    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_index("ix_review_log_user_time", ["user_id", "reviewed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_user_time")
    op.drop_table("review_log")
    with op.batch_alter_table("review_card", schema=None) as batch_op:
        batch_op.drop_index("ix_review_card_user_due")
    op.drop_table("review_card")
