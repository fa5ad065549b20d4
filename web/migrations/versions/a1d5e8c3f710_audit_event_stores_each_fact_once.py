"""an audit event stores each fact once: no instance_id or prev_hash column, no index no query uses

``instance_id`` repeated the chain (an instance's events are its chain; "system" has none) and ``prev_hash``
the ``hash`` of the chain's previous event: both stay in what each event's keyed hash covers — the
verification takes them from the chain and from the event before — so every stored event verifies as
before. The indexes on ``instance_id``, ``at``, ``actor`` and ``kind`` served no query (events are read by
chain, by id and whole); with the two columns they were about a fifth of a licence issue's audit bytes.
The downgrade puts the columns back, filled from the chain and the previous event, and the indexes.

Revision ID: a1d5e8c3f710
Revises: 9c4e1f7a2b09
Create Date: 2026-11-27 20:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a1d5e8c3f710"
down_revision = "9c4e1f7a2b09"
branch_labels = None
depends_on = None

INDEXES = (("ix_audit_event_at", "at"), ("ix_audit_event_actor", "actor"), ("ix_audit_event_kind", "kind"),
           ("ix_audit_event_instance_id", "instance_id"))
GENESIS = "0" * 64


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        for name, _column in INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column("instance_id")
        batch_op.drop_column("prev_hash")


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instance_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.execute("UPDATE audit_event SET instance_id = CASE WHEN chain = 'system' THEN NULL ELSE chain END")
    op.execute("UPDATE audit_event SET prev_hash = COALESCE((SELECT earlier.hash FROM audit_event AS earlier "
               "WHERE earlier.chain = audit_event.chain AND earlier.seq = audit_event.seq - 1), "
               f"'{GENESIS}')")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        for name, column in INDEXES:
            batch_op.create_index(name, [column], unique=False)
