"""lawyers' appointments: department slots, appointments, staff departments

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('department', sa.String(length=120), server_default='', nullable=False)
        )
    op.create_table(
        'appointment_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('department', sa.String(length=120), nullable=False),
        sa.Column('starts_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('room', sa.String(length=120), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('capacity >= 1', name=op.f('ck_appointment_slots_capacity')),
        sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_appointment_slots_taken')),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_appointment_slots_created_by_id_staff_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_slots')),
    )
    with op.batch_alter_table('appointment_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_slots_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_slots_starts_at'), ['starts_at'], unique=False)
    op.create_table(
        'appointments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('department', sa.String(length=120), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('slot_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('answer_due', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('answered_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('access_request_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['access_request_id'], ['case_access_requests.id'], name=op.f('fk_appointments_access_request_id_case_access_requests')),
        sa.ForeignKeyConstraint(['slot_id'], ['appointment_slots.id'], name=op.f('fk_appointments_slot_id_appointment_slots')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_appointments_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_appointments_submission_id')),
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_answer_due'), ['answer_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_status'))
        batch_op.drop_index(batch_op.f('ix_appointments_department'))
        batch_op.drop_index(batch_op.f('ix_appointments_answer_due'))
    op.drop_table('appointments')
    with op.batch_alter_table('appointment_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_slots_starts_at'))
        batch_op.drop_index(batch_op.f('ix_appointment_slots_department'))
    op.drop_table('appointment_slots')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('department')
