"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from portal.disclosure.models import Document
from portal.migrate import upgrade
from portal.models import Base


def test_migrations_and_models_agree(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_sensitive_names_written_in_clear_are_encrypted_by_the_upgrade(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (doc_type, title, case_name, charge, department, language,"
                " body_markdown, body_html, status, involves_minor, state_secret,"
                " sensitive_names, revision, created_at, updated_at) VALUES ('announcement',"
                " 'T', '', '', '', 'zh_Hans', '', '', 'draft', 0, 0, '王小明', 1,"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    upgrade(url)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT sensitive_names FROM documents")).scalar_one()
    assert "王小明".encode() not in bytes(raw)
    with Session(engine) as session:
        assert session.scalars(select(Document)).one().sensitive_name_list == ["王小明"]
    engine.dispose()
