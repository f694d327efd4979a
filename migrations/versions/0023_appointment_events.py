"""appointment events: each step of a lawyer's request, by an officer or the lawyer

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 20:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'appointment_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=20), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_events_appointment_id_appointments')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_appointment_events_staff_id_staff_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_events')),
    )
    with op.batch_alter_table('appointment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_events_appointment_id'), ['appointment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_events_appointment_id'))
    op.drop_table('appointment_events')
