"""security: demo accounts, revocable tokens and browser sessions, login throttling, clock ledger

Revision ID: 2b7d4c1e9a02
Revises: 6fa7b1ae5822
Create Date: 2026-11-27 11:05:00

"""
import sqlalchemy as sa
from alembic import op

import engine.store.types

revision = "2b7d4c1e9a02"
down_revision = "6fa7b1ae5822"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("acts_for", sa.String(length=12), nullable=True))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", engine.store.types.UTCDateTime(), nullable=True))
    op.create_table(
        "web_session",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", engine.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_web_session_account_id_account")),
        sa.PrimaryKeyConstraint("id_sha256", name=op.f("pk_web_session")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_account_id"), ["account_id"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("locked_until", engine.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "clock_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("now", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_ledger")),
    )


def downgrade():
    op.drop_table("clock_ledger")
    op.drop_table("login_throttle")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_account_id"))
    op.drop_table("web_session")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("acts_for")
        batch_op.drop_column("demo")
