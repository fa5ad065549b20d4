"""a deferred service task remembers the person whose step reached it

Revision ID: 8b3d0c7e5a08
Revises: 6f1b8a5c3e06
Create Date: 2026-11-27 14:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "8b3d0c7e5a08"
down_revision = "6f1b8a5c3e06"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("continuation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("continuation", schema=None) as batch_op:
        batch_op.drop_column("actor")
