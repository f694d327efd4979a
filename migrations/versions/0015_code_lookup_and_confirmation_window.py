"""access-code lookup hash; submission time of a draft

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-03 10:10:00

`case_access_requests.code_lookup` is the keyed hash (HMAC) of the access code.
Codes approved earlier exist only as argon2 hashes, so they cannot be given one
here: they stay NULL and are still found, until they expire, by the fallback in
`portal.cases.services.find_case_with_code` (which fills the column in on their
first successful use).

`submission_drafts.submitted_at` starts the window in which the confirmation
page can be shown again; drafts already submitted take their last update time.
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_access_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_lookup', sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_case_access_requests_code_lookup'), ['code_lookup'], unique=False
        )
    with op.batch_alter_table('submission_drafts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('submitted_at', portal.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE submission_drafts SET submitted_at = updated_at "
        "WHERE submission_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('submission_drafts', schema=None) as batch_op:
        batch_op.drop_column('submitted_at')
    with op.batch_alter_table('case_access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_access_requests_code_lookup'))
        batch_op.drop_column('code_lookup')
