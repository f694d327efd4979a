"""Staff turn a consultation into a public answer; the public finds it by topic, in site
search, on the consultation start page, and at a kiosk."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.audit import AuditEntry

from ..conftest import TEST_PASSWORD
from ..helpers import csrf_token, sign_in


def _client(app, user):
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(c, user, TEST_PASSWORD)
    return c


def _post(c, path, page, **data):
    response = c.post(path, data={"csrf_token": csrf_token(c, page), **data})
    assert response.status_code == 302, response.text
    return response


def publish(app, staff, submission_id, publish_document=None) -> int:
    """Through the staff pages: draft, edit (topic, an article), submit, approve."""
    author, approver = _client(app, staff.author), _client(app, staff.approver)
    page = author.get(f"/staff/submissions/{submission_id}").text
    assert "Draft a public answer from this consultation" in page
    response = _post(
        author, f"/staff/answers/from/{submission_id}", f"/staff/submissions/{submission_id}"
    )
    answer_id = int(re.search(r"/staff/answers/(\d+)/edit", response.headers["Location"])[1])
    edit = author.get(f"/staff/answers/{answer_id}/edit").text
    assert "张三丰" not in edit and "13812345678" not in edit
    fields = {
        "topic": "criminal",
        "language": "zh_Hans",
        "title": "不起诉决定可以申诉吗",
        "question": "检察院作出不起诉决定后，还能申诉吗？",
        "answer": "被不起诉人对不起诉决定不服的，可以自收到决定书后七日内向人民检察院申诉。",
    }
    if publish_document is not None:
        fields["articles"] = str(publish_document.id)
    _post(author, f"/staff/answers/{answer_id}/edit", f"/staff/answers/{answer_id}/edit", **fields)
    _post(author, f"/staff/answers/{answer_id}/submit", f"/staff/answers/{answer_id}")
    _post(approver, f"/staff/answers/{answer_id}/approve", f"/staff/answers/{answer_id}")
    assert "Approved and published" in approver.get(f"/staff/answers/{answer_id}").text
    return answer_id


def test_staff_publish_and_the_public_find_it(
    app, client, db, staff, answered_consultation, publish_document
):
    article = publish_document(
        doc_type="legal_education", slug="appeal-rights", title="不起诉案件中的申诉权利"
    )
    answer_id = publish(app, staff, answered_consultation(), article)
    listing = client.get("/answers/").text
    assert "Criminal cases" in listing or "刑事案件" in listing
    assert "不起诉决定可以申诉吗" in listing
    page = client.get(f"/answers/{answer_id}").text
    assert "七日内" in page
    assert "/documents/appeal-rights" in page and "不起诉案件中的申诉权利" in page
    found = client.get("/documents/search", query_string={"q": "不起诉 申诉"}).text
    assert f"/answers/{answer_id}" in found
    api = client.get("/api/v1/search", query_string={"q": "不起诉 申诉"}).get_json()
    assert [
        h["url"].endswith(f"/answers/{answer_id}") for h in api["results"] if h["kind"] == "qa"
    ] == [True]
    assert api["qa_total"] == 1
    actions = set(
        db.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "public_answer"))
    )
    assert actions == {"answer.create", "answer.edit", "answer.submit", "answer.approve"}


def test_the_consultation_start_page_offers_answers_and_keeps_the_words(
    app, client, staff, answered_consultation
):
    assert (
        "Is your question answered here?"
        not in client.get("/submissions/consultation/", headers={"Accept-Language": "en"}).text
    )
    answer_id = publish(app, staff, answered_consultation())
    start = client.get("/submissions/consultation/", headers={"Accept-Language": "en"}).text
    assert "Is your question answered here?" in start and f"/answers/{answer_id}" in start
    searched = client.get("/submissions/consultation/", query_string={"q": "不起诉 申诉"}).text
    assert f"/answers/{answer_id}" in searched
    missed = client.get("/submissions/consultation/", query_string={"q": "拆迁补偿"}).text
    assert f"/answers/{answer_id}" not in missed
    # Starting from the search keeps the words as the subject of the question.
    token = csrf_token(client, "/submissions/consultation/?q=拆迁补偿")
    client.post(
        "/submissions/consultation/?q=拆迁补偿", data={"csrf_token": token, "q": "拆迁补偿"}
    )
    details = client.get("/submissions/consultation/details").text
    assert 'value="拆迁补偿"' in details
    # Other kinds are not offered answers.
    assert "answer-offer" not in client.get("/submissions/complaint/").text


def test_a_draft_is_not_public_and_only_moderators_draft(app, client, staff, answered_consultation):
    submission_id = answered_consultation()
    approver = _client(app, staff.approver)
    token = csrf_token(approver, "/staff/answers/")
    assert (
        approver.post(
            f"/staff/answers/from/{submission_id}", data={"csrf_token": token}
        ).status_code
        == 403
    )
    author = _client(app, staff.author)
    _post(author, f"/staff/answers/from/{submission_id}", f"/staff/submissions/{submission_id}")
    assert client.get("/answers/1").status_code == 404


def test_a_kiosk_offers_the_answers(app, kiosk_client, staff, answered_consultation):
    answer_id = publish(app, staff, answered_consultation())
    kiosk = kiosk_client
    start = kiosk.get("/kiosk/").text
    assert "/kiosk/go/answers" in start
    response = kiosk.get("/kiosk/go/answers")
    assert response.headers["Location"].endswith("/answers/")
    page = kiosk.get(f"/answers/{answer_id}").text
    assert "七日内" in page and 'href="http' not in page


def test_the_home_page_and_the_menu_lead_to_the_answers(client):
    zh = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    en = client.get("/", headers={"Accept-Language": "en"}).text
    assert zh.count('href="/answers/">咨询问答</a>') == 2  # the menu and the service tile
    assert en.count('href="/answers/">Questions and answers</a>') == 2
