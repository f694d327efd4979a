"""guide pages declare topic words (for their related legal-education articles)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 19:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pages') as batch:
        batch.add_column(sa.Column('topics', sa.String(length=400), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('pages') as batch:
        batch.drop_column('topics')
