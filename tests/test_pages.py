"""Guide pages: loading from content/, cleaning, language fallback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from portal.config import PROJECT_ROOT
from portal.content import LoadReport
from portal.pages.models import Page
from portal.pages.services import load_pages

from .factories import document_fields

DEMO_PAGES = PROJECT_ROOT / "content" / "pages"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_demo_pages_load_and_loading_again_changes_nothing(db):
    first = load_pages(db, DEMO_PAGES)
    db.commit()
    assert first.problems == []
    assert first.created >= 14
    again = load_pages(db, DEMO_PAGES)
    db.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


def test_changed_file_updates_its_page(db, tmp_path):
    _write(tmp_path, "about.en.md", "---\ntitle: About\n---\nOld text.\n")
    load_pages(db, tmp_path)
    _write(tmp_path, "about.en.md", "---\ntitle: About us\n---\nNew text.\n")
    report = load_pages(db, tmp_path)
    db.commit()
    assert report.updated == 1
    page = db.scalar(select(Page).where(Page.slug == "about"))
    assert page.title == "About us" and "New text." in page.body_html


def test_bad_files_are_named_and_the_rest_still_load(db, tmp_path):
    _write(tmp_path, "good.en.md", "---\ntitle: Good\norder: 1\n---\nFine.\n")
    _write(tmp_path, "notitle.en.md", "---\nsummary: no title here\n---\nBody\n")
    _write(tmp_path, "badorder.en.md", "---\ntitle: X\norder: first\n---\nBody\n")
    _write(tmp_path, "nofront.en.md", "Just text\n")
    _write(tmp_path, "badyaml.en.md", "---\ntitle: [unclosed\n---\nBody\n")
    _write(tmp_path, "x.fr.md", "---\ntitle: Bonjour\n---\n")
    report = load_pages(db, tmp_path, LoadReport())
    db.commit()
    assert report.created == 1
    text = "\n".join(report.problems)
    assert "notitle.en.md: field 'title' is missing" in text
    assert "badorder.en.md: field 'order' must be a whole number" in text
    assert "nofront.en.md: front matter is missing" in text
    assert "badyaml.en.md: front matter is not valid YAML" in text
    assert "x.fr.md: the file name must be" in text
    assert db.scalar(select(func.count()).select_from(Page)) == 1


def test_every_problem_of_a_page_and_unknown_fields_are_reported(db, tmp_path):
    _write(tmp_path, "typo.en.md", "---\ntitel: About\norder: first\n---\nBody\n")
    report = load_pages(db, tmp_path, LoadReport())
    assert report.problems == [
        f"{tmp_path / 'typo.en.md'}: unknown field(s) 'titel'; "
        "known fields: order, summary, title, topics",
        f"{tmp_path / 'typo.en.md'}: field 'title' is missing or empty",
        f"{tmp_path / 'typo.en.md'}: field 'order' must be a whole number",
    ]
    assert report.refused == {tmp_path / "typo.en.md"}


def test_script_in_content_is_never_rendered(db, tmp_path, client):
    _write(
        tmp_path,
        "evil.en.md",
        "---\ntitle: Evil <script>alert(1)</script>\n---\n"
        "<script>alert(2)</script>\n\n[click](javascript:alert(3)) <img src=x onerror=alert(4)>\n",
    )
    load_pages(db, tmp_path)
    db.commit()
    html = client.get("/guide/evil", headers={"Accept-Language": "en"}).text
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert "Evil &lt;script&gt;" in html


def test_page_falls_back_to_chinese_and_says_so(db, tmp_path, client):
    _write(tmp_path, "only-zh.zh_Hans.md", "---\ntitle: 仅中文\n---\n内容。\n")
    load_pages(db, tmp_path)
    db.commit()
    html = client.get("/guide/only-zh", headers={"Accept-Language": "en"}).text
    assert "仅中文" in html
    assert "not yet available in your language" in html
    assert '<article lang="zh-Hans">' in html


def test_guide_list_and_page_in_both_languages(db, client):
    load_pages(db, DEMO_PAGES)
    db.commit()
    zh = client.get("/guide/", headers={"Accept-Language": "zh-CN"}).text
    en = client.get("/guide/", headers={"Accept-Language": "en"}).text
    assert "隐私" in zh and "Privacy" in en
    assert client.get("/guide/privacy").status_code == 200
    assert client.get("/guide/no-such-guide").status_code == 404


def _guides(client, q: str, lang: str = "zh-CN") -> str:
    """The guide group of the search page for `q` ('' when there is none)."""
    html = client.get(
        "/documents/search", query_string={"q": q}, headers={"Accept-Language": lang}
    ).text
    start = html.find('<section class="guide-results"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_site_search_follows_page_loads(db, tmp_path, client):
    _write(tmp_path, "visit.zh_Hans.md", "---\ntitle: 参观须知\n---\n请携带身份证件。\n")
    _write(tmp_path, "other.zh_Hans.md", "---\ntitle: 其他说明\n---\n无关内容。\n")
    assert _guides(client, "参观须知") == ""
    load_pages(db, tmp_path)
    db.commit()
    assert 'href="/guide/visit"' in _guides(client, "参观须知")
    _write(tmp_path, "visit.zh_Hans.md", "---\ntitle: 来访须知\n---\n请携带户口簿。\n")
    load_pages(db, tmp_path)
    db.commit()
    assert _guides(client, "参观") == ""
    assert _guides(client, "身份证件") == ""
    assert "<mark>户口簿</mark>" in _guides(client, "户口簿")


def test_site_search_sees_pages_changed_by_another_process(app, db, tmp_path, client, monkeypatch):
    from portal import page_cache

    _write(tmp_path, "visit.zh_Hans.md", "---\ntitle: 参观须知\n---\n请携带身份证件。\n")
    _write(tmp_path, "other.zh_Hans.md", "---\ntitle: 其他说明\n---\n无关内容。\n")
    load_pages(db, tmp_path)
    db.commit()
    assert "/guide/visit" in _guides(client, "身份证件")
    # Another process: a plain connection, so this process's commit hook never runs.
    monkeypatch.setattr(page_cache, "RECHECK_SECONDS", 0.0)
    with app.extensions["portal.db"].engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE pages SET body_html = '<p>请携带护照。</p>' WHERE slug = 'visit'"
        )
        conn.exec_driver_sql("UPDATE site_generation SET value = value + 1")
    assert _guides(client, "身份证件") == ""
    assert "/guide/visit" in _guides(client, "护照")


def test_content_load_and_search_rebuild_leave_guides_searchable(app, tmp_path, client):
    _write(tmp_path / "pages", "visit.zh_Hans.md", "---\ntitle: 参观须知\n---\n请携带身份证件。\n")
    _write(tmp_path / "pages", "visit.en.md", "---\ntitle: Visiting\n---\nBring your ID card.\n")
    _write(tmp_path / "pages", "other.en.md", "---\ntitle: Other\n---\nNothing here.\n")
    (tmp_path / "documents").mkdir()
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["content", "load", "--dir", str(tmp_path)])
    assert loaded.exit_code == 0, loaded.output
    assert "/guide/visit" in _guides(client, "身份证件")
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "/guide/visit" in _guides(client, "身份证件")
    assert "Visiting" in _guides(client, "ID card", lang="en")


AID = "## 检察官说法\n\n生活困难的被害人可以申请国家司法救助。"
FUNDS = "## 检察官说法\n\n承诺高额回报的“理财项目”多是非法集资，请勿轻信。"


def _related(client, slug: str, lang: str = "zh-CN") -> str:
    """The related legal-education list of a guide page ('' when there is none)."""
    html = client.get(f"/guide/{slug}", headers={"Accept-Language": lang}).text
    start = html.find('data-testid="related-articles"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def _article(publish_document, slug: str, title: str, body: str = AID, **more):
    return publish_document(
        doc_type="legal_education", slug=slug, title=title, body_markdown=body, **more
    )


def test_a_guide_lists_published_articles_on_its_declared_topics(
    app, db, tmp_path, client, publish_document
):
    _write(tmp_path, "aid.zh_Hans.md", "---\ntitle: 救助指南\ntopics: [司法救助]\n---\n正文。\n")
    _write(tmp_path, "visit.zh_Hans.md", "---\ntitle: 来访须知\n---\n正文。\n")
    _write(
        tmp_path, "fund.zh_Hans.md", "---\ntitle: 救助金\ntopics: [司法救助金发放]\n---\n正文。\n"
    )
    _write(tmp_path, "shelter.zh_Hans.md", "---\ntitle: 救助站\n---\n正文。\n")
    load_pages(db, tmp_path)
    db.commit()
    _article(publish_document, "aid-story", "雪中送炭的救助金")
    _article(publish_document, "funds", "防范非法集资", FUNDS)
    # Shares the characters of the topic, not the topic: the engine's closest match.
    _article(
        publish_document, "near", "社会救助", "## 说明\n\n民政部门的社会救助。司法所提供法律服务。"
    )
    publish_document(
        doc_type="announcement", slug="aid-notice", title="救助通知", body_markdown=AID
    )
    with app.app_context():
        from portal.db import get_session
        from portal.disclosure import services

        session = get_session()
        fields = document_fields(
            doc_type="legal_education", slug="aid-draft", title="救助草稿", body_markdown=AID
        )
        services.create_draft(session, fields, None)
        session.commit()
    related = _related(client, "aid")
    assert "相关法治宣传" in related and 'href="/documents/aid-story"' in related
    for slug in ("funds", "near", "aid-notice", "aid-draft"):
        assert f"/documents/{slug}" not in related
    assert _related(client, "visit") == ""  # its title finds nothing: no empty list
    # Nothing has all of it: neither the articles with most of it nor the closest ones.
    assert _related(client, "fund") == ""
    assert _related(client, "shelter") == ""


def test_a_guide_without_topics_is_about_its_title_and_prefers_its_language(
    db, tmp_path, client, publish_document
):
    _write(tmp_path, "aid.en.md", "---\ntitle: Judicial aid\n---\nBody.\n")
    load_pages(db, tmp_path)
    db.commit()
    _article(publish_document, "aid-zh", "司法救助", "## Note\n\nJudicial aid, 司法救助。")
    _article(
        publish_document,
        "aid-en",
        "Judicial aid explained",
        "## Note\n\nJudicial aid.",
        language="en",
    )
    related = _related(client, "aid", "en")
    assert "Related legal education" in related
    assert 0 <= related.index("/documents/aid-en") < related.index("/documents/aid-zh")


def test_topics_must_be_words(db, tmp_path):
    _write(tmp_path, "bad.en.md", "---\ntitle: Bad\ntopics: {a: b}\n---\nBody\n")
    report = load_pages(db, tmp_path, LoadReport())
    assert report.problems == [
        f"{tmp_path / 'bad.en.md'}: field 'topics' must be a list of words or phrases"
    ]


def test_demo_guides_find_demo_articles_in_their_language(app, db, client, tmp_path):
    """`flask demo load` shows each guide that declares topics with its articles."""
    from portal.disclosure.loader import load_documents

    for path in (PROJECT_ROOT / "content" / "documents").glob("legal-education-*.md"):
        _write(tmp_path, path.name, path.read_text(encoding="utf-8"))
    load_pages(db, DEMO_PAGES)
    assert load_documents(db, tmp_path).problems == []
    db.commit()
    with app.app_context():
        from portal.db import get_session
        from portal.disclosure import indexing

        indexing.sync(get_session(), indexing.get_index())
    declared = db.scalars(select(Page).where(Page.topics != "")).all()
    assert {p.slug for p in declared} >= {"judicial-aid-guide", "lawyer-guide", "complaint-guide"}
    for page in declared:
        lang = "en" if page.locale == "en" else "zh-CN"
        related = _related(client, page.slug, lang)
        assert related, f"{page.slug}.{page.locale} lists no article"
        if page.slug != "privacy":
            assert (
                f'lang="{"zh-Hans" if page.locale == "en" else "en"}"'
                not in related.split("</li>")[0]
            ), f"{page.slug}.{page.locale}: the first article is in another language"
