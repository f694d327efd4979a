"""Guide pages: loading from content/, cleaning, language fallback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from portal.config import PROJECT_ROOT
from portal.content import LoadReport
from portal.pages.models import Page
from portal.pages.services import load_pages

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
        f"{tmp_path / 'typo.en.md'}: unknown field(s) 'titel'; known fields: order, summary, title",
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
