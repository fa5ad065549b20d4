"""signed acts

Revision ID: 3c8e5d2f0b03
Revises: 2b7d4c1e9a02
Create Date: 2026-11-27 11:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.store.types  # noqa: F401

revision = "3c8e5d2f0b03"
down_revision = "2b7d4c1e9a02"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("iin", sa.String(length=12), nullable=True))


def downgrade():
    with op.batch_alter_table("account") as batch:
        batch.drop_column("iin")
