"""staff sessions per device and saved queue filters

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 16:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_staff_sessions_staff_id', 'staff_sessions', ['staff_id'])
    op.create_table(
        'saved_queue_filters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.String(length=500), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('staff_id', 'name'),
    )
    op.create_index('ix_saved_queue_filters_staff_id', 'saved_queue_filters', ['staff_id'])


def downgrade() -> None:
    op.drop_index('ix_saved_queue_filters_staff_id', table_name='saved_queue_filters')
    op.drop_table('saved_queue_filters')
    op.drop_index('ix_staff_sessions_staff_id', table_name='staff_sessions')
    op.drop_table('staff_sessions')
