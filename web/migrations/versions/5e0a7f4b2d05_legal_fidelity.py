"""legal fidelity

Revision ID: 5e0a7f4b2d05
Revises: 4d9f6e3a1c04
Create Date: 2026-11-27 11:10:00

"""
import sqlalchemy as sa
from alembic import op

import engine.store.types

revision = "5e0a7f4b2d05"
down_revision = "4d9f6e3a1c04"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refusal_grounds", engine.store.types.JsonType, nullable=True))
        batch_op.add_column(sa.Column("positions", engine.store.types.JsonType, nullable=True))


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("positions")
        batch_op.drop_column("refusal_grounds")
