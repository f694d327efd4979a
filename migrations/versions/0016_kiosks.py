"""kiosks and their usage counts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:20:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kiosks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('enrol_token_hash', sa.String(length=64), nullable=True),
        sa.Column('enrol_expires_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('device_key_hash', sa.String(length=64), nullable=True),
        sa.Column('enrolled_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['booking_offices.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('enrol_token_hash'),
    )
    op.create_table(
        'kiosk_usage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kiosk_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('service', sa.String(length=30), nullable=False),
        sa.Column('event', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kiosk_id', 'day', 'service', 'event'),
    )
    with op.batch_alter_table('kiosk_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_usage_kiosk_id'), ['kiosk_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kiosk_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_usage_kiosk_id'))
    op.drop_table('kiosk_usage')
    op.drop_table('kiosks')
