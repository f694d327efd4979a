"""rate-limit counters shared by workers; TOTP enrolment secret kept server-side

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_counters',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('staff_users') as batch_op:
        batch_op.add_column(sa.Column('pending_totp_secret', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_users') as batch_op:
        batch_op.drop_column('pending_totp_secret')
    op.drop_table('rate_limit_counters')
