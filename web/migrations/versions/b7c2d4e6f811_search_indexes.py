"""indexes for three of the auditors' searches: by officer, by outcome in the order the instances ended, and
by a fragment of the applicant's name

Searching the instances an officer worked on asked, of each instance in the order shown, whether one of its
tasks was completed (or is claimed) by that officer; for a name that did no task it asked every instance (70 ms
at 100 000 instances). With the completed tasks indexed by who completed them — with the instance, so the index
alone answers — such a search is answered from the index (2 ms). Claims were indexed already.

Instances of one outcome newest-ended first (the issued licences, say) were found by reading all of that
outcome's instances and sorting them by their end (36 ms for 35 000 issued of 100 000); an index on (outcome,
ended_at) walks them in that order (0.4 ms), and serves every lookup by outcome alone, which its own index
did until now.

A fragment of the applicant's name was checked on each instance's application row, read (wide, with the whole
application) for every instance walked and for every match counted: 38 ms to count 6 600 matches. Each instance
now keeps the casefolded name of its application's applicant (copied here from the applications; given by the
licensing service to every instance it starts), with a trigram index of its own on PostgreSQL (a plain index
of the same name on SQLite, as for the other trigram indexes).

Revision ID: b7c2d4e6f811
Revises: a1d5e8c3f710
Create Date: 2026-12-07 18:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b7c2d4e6f811"
down_revision = "a1d5e8c3f710"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_task_completed_by", "human_task", ["completed_by", "instance_id"], unique=False)
    op.create_index("ix_instance_outcome_ended", "process_instance", ["outcome", "ended_at"], unique=False)
    op.drop_index("ix_process_instance_outcome", table_name="process_instance")
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_key", sa.String(length=300), nullable=True))
    op.execute("UPDATE process_instance SET applicant_key = (SELECT application.applicant_key FROM application "
               "WHERE application.id = process_instance.business_key)")
    op.create_index("ix_instance_applicant_trgm", "process_instance", ["applicant_key"], unique=False,
                    postgresql_using="gin", postgresql_ops={"applicant_key": "gin_trgm_ops"})


def downgrade():
    op.drop_index("ix_instance_applicant_trgm", table_name="process_instance")
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.drop_column("applicant_key")
    op.create_index("ix_process_instance_outcome", "process_instance", ["outcome"], unique=False)
    op.drop_index("ix_instance_outcome_ended", table_name="process_instance")
    op.drop_index("ix_task_completed_by", table_name="human_task")
