"""documents: a covering index for the search page's references and languages

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 15:30:00
"""
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The search page asks for the number, slug and language of its ten hits; those
    # columns follow the document bodies, so without this index each row read the
    # bodies' overflow pages.
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(
            'ix_documents_public_ref', ['status', 'id', 'number', 'slug', 'language'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_public_ref')
