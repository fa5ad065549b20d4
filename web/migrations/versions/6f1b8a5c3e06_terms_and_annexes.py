"""the legal terms in force and their proposed changes (four-eyes)

Revision ID: 6f1b8a5c3e06
Revises: 5e0a7f4b2d05
Create Date: 2026-11-27 12:40:00

"""
import sqlalchemy as sa
from alembic import op

import engine.store.types

revision = "6f1b8a5c3e06"
down_revision = "5e0a7f4b2d05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "legal_term",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clause", sa.String(length=40), nullable=False),
        sa.Column("start_event", sa.String(length=200), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", engine.store.types.UTCDateTime(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_term")),
        sa.UniqueConstraint("clause", "start_event", name=op.f("uq_legal_term_clause")),
    )
    op.create_table(
        "legal_term_proposal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", engine.store.types.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", engine.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["term_id"], ["legal_term.id"],
                                name=op.f("fk_legal_term_proposal_term_id_legal_term")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_term_proposal")),
    )
    with op.batch_alter_table("legal_term_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_term_proposal_term_id"), ["term_id"], unique=False)


def downgrade():
    with op.batch_alter_table("legal_term_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_term_proposal_term_id"))
    op.drop_table("legal_term_proposal")
    op.drop_table("legal_term")
