"""English wording of open days and questionnaires

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 16:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COLUMNS = {
    'open_days': [
        ('title_en', sa.String(length=300)),
        ('description_en', sa.Text()),
        ('what_to_bring_en', sa.Text()),
    ],
    'questionnaires': [
        ('title_en', sa.String(length=200)),
        ('introduction_en', sa.Text()),
    ],
    'survey_questions': [
        ('section_en', sa.String(length=200)),
        ('text_en', sa.String(length=500)),
    ],
    'survey_options': [
        ('label_en', sa.String(length=300)),
    ],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_ in columns:
                batch.add_column(sa.Column(name, type_, nullable=False, server_default=''))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type in reversed(columns):
                batch.drop_column(name)
