"""Public questions and answers drafted from consultations

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 17:05:00
"""
from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'public_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('last_edited_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_reason', sa.Text(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id']),
        sa.ForeignKeyConstraint(['last_edited_by_id'], ['staff_users.id']),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['staff_users.id']),
        sa.ForeignKeyConstraint(['approved_by_id'], ['staff_users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_public_answers_submission_id', 'public_answers', ['submission_id'])
    op.create_index('ix_public_answers_status_topic', 'public_answers', ['status', 'topic'])
    op.create_table(
        'public_answer_articles',
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['public_answers.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('answer_id', 'document_id'),
    )


def downgrade() -> None:
    op.drop_table('public_answer_articles')
    op.drop_index('ix_public_answers_status_topic', table_name='public_answers')
    op.drop_index('ix_public_answers_submission_id', table_name='public_answers')
    op.drop_table('public_answers')
