"""`flask search rebuild` while editors keep working."""

from __future__ import annotations

from portal.db import get_session
from portal.disclosure import indexing, services
from portal.disclosure.models import Document


def test_a_document_withdrawn_during_a_rebuild_stays_out_of_the_index(
    app, db, publish_document, create_staff
):
    docs = [publish_document() for _ in range(3)]
    editor = create_staff("editor")
    withdrawn = docs[1]
    calls: list[int] = []

    def withdraw_meanwhile(count: int) -> None:
        # Called after the documents are read; the new index is not live yet.
        if calls:
            return
        calls.append(count)
        doc = db.get(Document, withdrawn.id)
        services.withdraw(db, doc, "Published by mistake", editor)
        db.commit()
        # The web process applies the change to the index that is live now.
        with app.app_context():
            indexing.sync(get_session(), indexing.get_index())

    with app.app_context():
        count = indexing.rebuild(get_session(), indexing.get_index(), progress=withdraw_meanwhile)
        ids = indexing.get_index().doc_ids()
    assert calls and count == 3
    assert str(withdrawn.id) not in ids
    assert {str(docs[0].id), str(docs[2].id)} <= ids

    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "agree" in result.output
