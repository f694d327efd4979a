"""encrypt documents.sensitive_names at rest

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 19:50:00

The names staff mark as sensitive (victims, witnesses) were stored in clear.
Existing values are encrypted with the portal's data key, so this revision
needs the keys: `flask db upgrade` loads them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _convert(encode) -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sensitive_names_new', sa.LargeBinary() if encode else sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, sensitive_names FROM documents")).all()
    update = sa.text("UPDATE documents SET sensitive_names_new = :v WHERE id = :id")
    for row in rows:
        conn.execute(update, {"id": row.id, "v": encode(row.sensitive_names) if encode else _decode(row.sensitive_names)})
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('sensitive_names')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('sensitive_names_new', new_column_name='sensitive_names', nullable=False)


def _encode(value) -> bytes:
    from portal import crypto

    return crypto.encrypt_bytes((value or "").encode("utf-8"))


def _decode(value) -> str:
    from portal import crypto

    return crypto.decrypt_bytes(bytes(value)).decode("utf-8")


def upgrade() -> None:
    _convert(_encode)


def downgrade() -> None:
    _convert(None)
