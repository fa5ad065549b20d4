"""integrations incidents outbox

Revision ID: 4d9f6e3a1c04
Revises: 3c8e5d2f0b03
Create Date: 2026-11-27 11:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.store.types  # noqa: F401

revision = "4d9f6e3a1c04"
down_revision = "3c8e5d2f0b03"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
