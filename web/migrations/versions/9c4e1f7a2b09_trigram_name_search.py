"""applicant-name fragments found through trigram indexes (PostgreSQL); the audit chain's own index goes

The task list and the instance search filter by a fragment of the applicant's name (``LIKE '%…%'`` on the
casefolded ``applicant_key``), which no B-tree serves: on PostgreSQL a GIN index with pg_trgm's operator
class does (the extension is created if absent). SQLite has no trigram index: there the same names are
plain indexes, so that the migrated schema equals the models on both.
``ix_audit_event_chain`` is dropped on both: the unique (chain, seq) index starts with the chain and serves
every query by chain, so the second index only cost space and time on each event.

Revision ID: 9c4e1f7a2b09
Revises: 8b3d0c7e5a08
Create Date: 2026-11-27 17:20:00

"""
from alembic import op

revision = "9c4e1f7a2b09"
down_revision = "8b3d0c7e5a08"
branch_labels = None
depends_on = None

TRIGRAM = (("ix_application_applicant_trgm", "application"), ("ix_task_applicant_trgm", "human_task"))


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in TRIGRAM:  # on SQLite a plain index of the same name (the options are PostgreSQL's)
        op.create_index(name, table, ["applicant_key"], unique=False, postgresql_using="gin",
                        postgresql_ops={"applicant_key": "gin_trgm_ops"})
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_chain")


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_chain", ["chain"], unique=False)
    for name, table in TRIGRAM:
        op.drop_index(name, table_name=table)
