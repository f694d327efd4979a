"""judicial aid decisions (outcome and amount, for statistics)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'judicial_aid_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_judicial_aid_decisions_staff_id_staff_users')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_judicial_aid_decisions_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_judicial_aid_decisions')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_judicial_aid_decisions_submission_id')),
    )
    with op.batch_alter_table('judicial_aid_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judicial_aid_decisions_decided_at'), ['decided_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('judicial_aid_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judicial_aid_decisions_decided_at'))
    op.drop_table('judicial_aid_decisions')
