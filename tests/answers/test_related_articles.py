"""A public answer links legal-education articles: those staff picked, or else the
ones the search engine finds for its question and topic, only while published."""

from __future__ import annotations

from sqlalchemy import select

from portal.answers.models import PublicAnswer
from portal.db import get_session
from portal.disclosure import indexing
from portal.disclosure.models import Document
from portal.disclosure.services import enqueue_index

APPEAL = "## 检察官说法\n\n对不起诉决定不服的，被害人可以自收到决定书后七日内申诉。"
FUNDS = "## 检察官说法\n\n承诺高额回报的“理财项目”多是非法集资，请勿轻信。"
MINORS = "## 检察官说法\n\n发现未成年人遭受侵害，应当立即报告。"


def _article(publish_document, slug: str, title: str, body: str, **more) -> Document:
    return publish_document(
        doc_type="legal_education", slug=slug, title=title, body_markdown=body, **more
    )


def test_an_answer_offers_the_articles_its_question_finds_and_no_unrelated_one(
    client, publish_document, published_answer
):
    _article(publish_document, "appeal-rights", "不服不起诉决定怎么办", APPEAL)
    _article(publish_document, "illegal-funds", "防范非法集资", FUNDS)
    # Has some of the question's words (不起诉决定), not all (申诉): about something else.
    _article(
        publish_document,
        "drink-driving",
        "醉驾的代价",
        "## 案例\n\n醉驾情节轻微的，可以作出不起诉决定。",
    )
    publish_document(  # the right words, but not a legal-education article
        doc_type="announcement", slug="notice", title="不起诉决定申诉须知", body_markdown=APPEAL
    )
    page = client.get(f"/answers/{published_answer()}").text
    assert "Related legal education" in page or "相关法治宣传" in page
    assert "/documents/appeal-rights" in page
    for slug in ("illegal-funds", "drink-driving", "notice"):
        assert f"/documents/{slug}" not in page


def test_an_article_no_longer_published_is_never_offered(
    app, client, publish_document, published_answer
):
    withdrawn = _article(publish_document, "appeal-old", "不起诉决定的申诉期限", APPEAL)
    answer_id = published_answer()
    with app.app_context():
        db = get_session()
        # Withdrawn in the database before the index heard of it: the database wins.
        doc = db.get(Document, withdrawn.id)
        doc.status = "withdrawn"
        enqueue_index(db, doc, "delete")
        db.commit()
    page = client.get(f"/answers/{answer_id}").text
    assert "/documents/appeal-old" not in page
    assert 'data-testid="related-articles"' not in page
    with app.app_context():
        indexing.sync(get_session(), indexing.get_index())


def test_articles_staff_picked_win_over_those_found(
    app, client, publish_document, published_answer
):
    _article(publish_document, "appeal-rights", "不服不起诉决定怎么办", APPEAL)
    picked = _article(publish_document, "picked", "防范非法集资", FUNDS)
    answer_id = published_answer()
    with app.app_context():
        db = get_session()
        db.get(PublicAnswer, answer_id).articles = [db.get(Document, picked.id)]
        db.commit()
    page = client.get(f"/answers/{answer_id}").text
    assert "/documents/picked" in page and "/documents/appeal-rights" not in page


def test_a_narrow_topic_finds_articles_when_the_question_finds_none(
    client, publish_document, published_answer
):
    _article(publish_document, "report-harm", "强制报告制度", MINORS)
    assert "/documents/report-harm" in client.get(f"/answers/{published_answer('minors')}").text
    assert "/documents/report-harm" not in client.get(f"/answers/{published_answer()}").text


def test_at_most_three_articles_in_the_answers_language_first(
    client, publish_document, published_answer
):
    for n in range(3):
        _article(publish_document, f"appeal-en-{n}", f"Appeals {n}", APPEAL, language="en")
    for n in range(2):
        _article(publish_document, f"appeal-zh-{n}", f"申诉权利{n}", APPEAL)
    page = client.get(f"/answers/{published_answer()}").text
    shown = [slug for slug in ("zh-0", "zh-1", "en-0", "en-1", "en-2") if f"appeal-{slug}" in page]
    assert len(shown) == 3 and shown[:2] == ["zh-0", "zh-1"]


def test_demo_answers_load_once_and_show_the_demo_articles(app, db, client, tmp_path):
    from portal.answers.demo import DEMO, load_demo_answers
    from portal.config import PROJECT_ROOT
    from portal.db import utcnow
    from portal.disclosure.loader import load_documents

    for path in (PROJECT_ROOT / "content" / "documents").glob("legal-education-*.md"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_documents(db, tmp_path).problems == []
    assert load_demo_answers(db, utcnow()) == len(DEMO)
    assert load_demo_answers(db, utcnow()) == 0
    db.commit()
    with app.app_context():
        indexing.sync(get_session(), indexing.get_index())
    listing = client.get("/answers/").text
    assert all(title in listing for _topic, _lang, title, _q, _a in DEMO)
    expected = {
        "申请国家司法救助需要准备什么材料": "legal-education-2026-0101",
        "不起诉决定可以申诉吗": "legal-education-2026-0103",
        "How can a lawyer book a case file reading?": "legal-education-2026-0106",
        "发现孩子可能受到侵害，应当向谁报告": "legal-education-2021-0002",
    }
    for qa in db.scalars(select(PublicAnswer)):
        page = client.get(f"/answers/{qa.id}").text
        assert f"/documents/{expected[qa.title]}" in page, qa.title
