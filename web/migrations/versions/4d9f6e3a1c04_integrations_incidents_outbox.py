"""integrations incidents outbox: incidents of failed service tasks, continuations, outbox deliveries

Revision ID: 4d9f6e3a1c04
Revises: 3c8e5d2f0b03
Create Date: 2026-11-27 11:10:00

"""
import sqlalchemy as sa
from alembic import op

import engine.store.types

revision = "4d9f6e3a1c04"
down_revision = "3c8e5d2f0b03"
branch_labels = None
depends_on = None


def upgrade():
    moment = engine.store.types.UTCDateTime
    op.create_table(
        "incident",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("element", sa.String(length=100), nullable=False),
        sa.Column("clause", sa.String(length=100), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("transient", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("last_attempt_at", moment(), nullable=False),
        sa.Column("next_retry_at", moment(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", moment(), nullable=True),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"],
                                name=op.f("fk_incident_instance_id_process_instance")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_next_retry_at"), ["next_retry_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_status"), ["status"], unique=False)
    op.create_table(
        "continuation",
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("element", sa.String(length=100), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"],
                                name=op.f("fk_continuation_instance_id_process_instance")),
        sa.PrimaryKeyConstraint("instance_id", "element", name=op.f("pk_continuation")),
    )
    with op.batch_alter_table("continuation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_continuation_created_at"), ["created_at"], unique=False)
    op.create_table(
        "outbox_delivery",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("next_attempt_at", moment(), nullable=True),
        sa.Column("last_attempt_at", moment(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_delivery")),
        sa.UniqueConstraint("channel", "source_id", name=op.f("uq_outbox_delivery_channel")),
    )
    with op.batch_alter_table("outbox_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_delivery_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_delivery_status"), ["status"], unique=False)
    op.create_table(
        "delivery_cursor",
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("last_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_delivery_cursor")),
    )


def downgrade():
    op.drop_table("delivery_cursor")
    with op.batch_alter_table("outbox_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_delivery_next_attempt_at"))
    op.drop_table("outbox_delivery")
    with op.batch_alter_table("continuation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_continuation_created_at"))
    op.drop_table("continuation")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_status"))
        batch_op.drop_index(batch_op.f("ix_incident_next_retry_at"))
        batch_op.drop_index(batch_op.f("ix_incident_instance_id"))
    op.drop_table("incident")
