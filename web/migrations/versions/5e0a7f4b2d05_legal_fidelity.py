"""legal fidelity

Revision ID: 5e0a7f4b2d05
Revises: 4d9f6e3a1c04
Create Date: 2026-11-27 11:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.store.types  # noqa: F401

revision = "5e0a7f4b2d05"
down_revision = "4d9f6e3a1c04"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
