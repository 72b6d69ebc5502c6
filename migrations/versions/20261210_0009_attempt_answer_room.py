"""attempt.answer has room for every question type's answer (400 characters)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 09:00:00.000000

Option keys fitted in 40 characters; a short-text answer (up to 200 characters as typed), an
ordering (item keys in order) or a matching (item=category pairs) needs more.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.alter_column(
            "answer",
            existing_type=sa.String(length=40),
            type_=sa.String(length=400),
            existing_nullable=False,
        )


def downgrade() -> None:
    # Longer answers are cut to fit: they no longer match their question, so a returning
    # learner sees that question's form instead of its feedback; the attempt still counts.
    op.execute("UPDATE attempt SET answer = SUBSTR(answer, 1, 40) WHERE LENGTH(answer) > 40")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.alter_column(
            "answer",
            existing_type=sa.String(length=400),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
