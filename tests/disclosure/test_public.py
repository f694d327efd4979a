"""What the public sees: register, document pages, search, feeds, sitemap, API."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def test_register_filters_by_type_and_year_and_clamps_pages(client, publish_document):
    publish_document(title="二〇二一年的起诉书", published_at=datetime(2021, 6, 1, tzinfo=UTC))
    publish_document(
        doc_type="announcement",
        title="开放日通知",
        published_at=datetime(2023, 3, 1, tzinfo=UTC),
    )
    page = client.get("/documents/").text
    assert "二〇二一年的起诉书" in page and "开放日通知" in page
    only = client.get("/documents/", query_string={"type": "announcement"}).text
    assert "开放日通知" in only and "二〇二一年的起诉书" not in only
    by_year = client.get("/documents/", query_string={"year": "2021"}).text
    assert "二〇二一年的起诉书" in by_year and "开放日通知" not in by_year
    for odd in ("999", "-3", "abc", "1" * 50):
        response = client.get("/documents/", query_string={"page": odd})
        assert response.status_code == 200


def test_home_page_lists_the_latest_documents(client, publish_document):
    publish_document(title="最新公开的起诉书")
    assert "最新公开的起诉书" in client.get("/").text


def test_document_page_shows_metadata_and_cleaned_body(client, publish_document):
    publish_document(
        title="李某某诈骗案起诉书",
        number="示检刑诉〔2021〕500号",
        body_markdown="## 查明\n\n<script>alert(1)</script>被告人李某某**诈骗**。",
    )
    page = client.get("/documents/示检刑诉(2021)500号")
    assert page.status_code == 200
    assert "示检刑诉〔2021〕500号" in page.text and "危险驾驶罪" in page.text
    assert "<strong>诈骗</strong>" in page.text
    assert "<script>alert" not in page.text


def test_unknown_document_is_a_404(client):
    assert client.get("/documents/示检刑诉〔1999〕1号").status_code == 404


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "*:*",
        "title:foo AND (bar OR",
        "x" * 10_000,
        "危险\x00驾驶\x1b[31m",
        "醉驾 drunk 驾驶 ～！@#￥%……&*（）",
        "^~?*[]{}",
        "",
        "   ",
    ],
)
def test_no_query_breaks_the_search_page(client, publish_document, q):
    publish_document()
    response = client.get("/documents/search", query_string={"q": q, "page": "99999"})
    # Control characters are refused for every query parameter (portal.inputs): a page, not a crash.
    assert response.status_code == (400 if "\x00" in q else 200)
    assert "<html" in response.text


def test_search_finds_exact_substrings_and_links_to_documents(client, publish_document):
    publish_document(title="赵某某危险驾驶案起诉书", number="示检刑诉〔2021〕700号")
    page = client.get("/documents/search", query_string={"q": "乙醇含量"}).text
    assert "示检刑诉〔2021〕700号" in page
    assert "<mark>" in page
    empty = client.get("/documents/search", query_string={"q": "不存在的词语组合"}).text
    assert "No documents match your search" in empty
    assert "Browse documents by type and year" in empty


def test_search_facet_and_sort_links_keep_the_query_and_narrow_it(client, publish_document):
    import html
    import re
    from urllib.parse import parse_qs, urlsplit

    publish_document(title="赵某某危险驾驶案起诉书", number="示检刑诉〔2021〕701号")
    query = "驾驶 & <乙醇> 100%"
    page = client.get("/documents/search", query_string={"q": query}).text
    links = [
        parse_qs(urlsplit(html.unescape(href)).query)
        for href in re.findall(r'href="(/documents/search\?[^"]*)"', page)
    ]
    assert links and all(link["q"] == [query] for link in links)
    assert any(link.get("type") == ["indictment"] for link in links)
    assert any(link.get("year_from") and link["year_from"] == link.get("year_to") for link in links)
    assert any(link.get("sort") == ["date"] for link in links)
    narrowed = client.get("/documents/search", query_string={"q": query, "type": "indictment"})
    assert "示检刑诉〔2021〕701号" in narrowed.text


def test_atom_feed_is_well_formed_and_escaped(client, publish_document):
    publish_document(title="标题 <b>&</b> 特殊字符")
    response = client.get("/documents/feed/indictment.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "标题 <b>&</b> 特殊字符" in titles
    assert client.get("/documents/feed/nonsense.atom").status_code == 404


def test_sitemap_lists_documents_and_guides(client, publish_document):
    publish_document(number="示检刑诉〔2021〕901号")
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any("901" in (loc or "") for loc in locations)


def test_api_lists_searches_and_describes_itself(client, publish_document):
    publish_document(title="API 测试起诉书", number="示检刑诉〔2021〕950号")
    listing = client.get("/api/v1/documents", query_string={"type": "indictment"}).json
    assert listing["total"] == 1
    assert listing["documents"][0]["number"] == "示检刑诉〔2021〕950号"
    one = client.get("/api/v1/documents/示检刑诉[2021]950号").json
    assert one["title"] == "API 测试起诉书" and "乙醇" in one["body_html"]
    found = client.get("/api/v1/search", query_string={"q": "乙醇", "per_page": "5"}).json
    assert found["total"] == 1
    hit = found["results"][0]
    assert set(hit) >= {"title", "number", "type", "date", "url", "highlight"}
    assert hit["url"].endswith(
        "/documents/%E7%A4%BA%E6%A3%80%E5%88%91%E8%AF%89%E3%80%942021%E3%80%95950%E5%8F%B7"
    )
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/documents", "/api/v1/search"} <= set(spec["paths"])
    assert client.get("/api/v1/documents", query_string={"type": "nope"}).status_code == 400


def _load_demo_pages(app) -> None:
    from portal.config import PROJECT_ROOT
    from portal.db import get_session
    from portal.pages.services import load_pages

    with app.app_context():
        db = get_session()
        load_pages(db, PROJECT_ROOT / "content" / "pages")
        db.commit()


def test_search_page_shows_guides_above_documents_in_the_visitors_language(
    app, client, publish_document
):
    _load_demo_pages(app)
    publish_document(title="关于控告申诉须知的说明", number="示检刑诉〔2021〕951号")
    zh = client.get(
        "/documents/search", query_string={"q": "控告 须知"}, headers={"Accept-Language": "zh-CN"}
    ).text
    guides = zh.index('<section class="guide-results"')
    assert guides < zh.index('id="results-title"')
    group = zh[guides : zh.index("</section>", guides)]
    assert '<a href="/guide/complaint-guide"><mark>控告</mark>申诉<mark>须知</mark></a>' in group
    assert '<p class="fragment">' in group and "<mark>控告</mark>" in group
    documents = zh[zh.index('id="results-title"') :]
    assert "关于<mark>控告</mark>申诉<mark>须知</mark>的说明" in documents
    en = client.get("/documents/search", query_string={"q": "how to file a complaint"}).text
    group = en[en.index('<section class="guide-results"') :]
    assert 'href="/guide/complaint-guide"><mark>Complaints</mark> and Appeals Guide' in group
    # Filters and later pages are about documents: no guides there.
    for args in ({"type": "indictment"}, {"year_from": "2021"}, {"page": "2"}):
        page = client.get("/documents/search", query_string={"q": "控告 须知", **args}).text
        assert "guide-results" not in page, args
    assert "guide-results" not in client.get("/documents/search?q=乙醇").text


def test_a_search_answered_only_by_a_guide_says_so(app, client):
    """Nothing among the documents, a guide above: the page points there, not at spelling."""
    _load_demo_pages(app)
    page = client.get("/documents/search", query_string={"q": "控告 须知"}).text
    assert "guide-results" in page
    assert "the service guides above may answer your question" in page
    assert "No documents match your search.</p>" not in page
    nothing = client.get("/documents/search", query_string={"q": "zzzqqq"}).text
    assert "No documents match your search.</p>" in nothing


def test_api_says_which_kind_each_result_is(app, client, publish_document):
    _load_demo_pages(app)
    publish_document(title="开放日参观带什么的说明", number="示检刑诉〔2021〕952号")
    found = client.get(
        "/api/v1/search",
        query_string={"q": "开放日 带什么"},
        headers={"Accept-Language": "zh-CN"},
    ).json
    first, *rest = found["results"]
    assert first["kind"] == "page" and first["type"] == "page"
    assert first["url"].endswith("/guide/open-day-guide")
    assert first["title"] == "检察开放日参观须知" and first["language"] == "zh_Hans"
    assert "<mark>开放日</mark>" in first["highlight"]
    assert found["guide_total"] == sum(1 for r in found["results"] if r["kind"] == "page")
    documents = [r for r in rest if r["kind"] == "document"]
    assert [d["number"] for d in documents] == ["示检刑诉〔2021〕952号"]
    # Document results keep every field they had; totals and paging count documents.
    assert set(documents[0]) >= {"title", "number", "type", "date", "url", "highlight"}
    assert documents[0]["type"] == "indictment" and found["total"] == 1
    only = client.get("/api/v1/search", query_string={"q": "开放日", "kind": "document"}).json
    assert [r["kind"] for r in only["results"]] == ["document"]
    english = client.get("/api/v1/search", query_string={"q": "how to file a complaint"}).json
    pages = {r["url"].rsplit("/", 1)[-1]: r for r in english["results"] if r["kind"] == "page"}
    assert pages["complaint-guide"]["title"] == "Complaints and Appeals Guide"


def test_a_chinese_typo_shows_the_results_of_the_corrected_search_and_says_so(
    app, client, publish_document
):
    for name in ("王", "李", "赵"):
        publish_document(
            title=f"{name}某诈骗案起诉书", case_name=f"{name}某诈骗案", charge="诈骗罪"
        )
    page = client.get("/documents/search", query_string={"q": "诈编"}).text
    assert "No documents match your search" not in page and "王某<mark>诈骗</mark>案起诉书" in page
    assert (
        '<p class="notice" id="search-corrected">No document matches <q>诈编</q>, '
        "so the results for <q>诈骗</q> are shown.</p>" in page
    )
    assert 'class="suggestion"' not in page
    chinese = app.test_client().get("/documents/search", query_string={"q": "诈编"}).text
    assert "未找到与<q>诈编</q>相符的文件，以下显示<q>诈骗</q>的检索结果。" in chinese
    api = client.get("/api/v1/search", query_string={"q": "诈编"}).json
    assert api["total"] == 3 and api["suggestion"] == "诈骗"
    assert "query_corrected" in api["notices"] and api["understood"]["corrected"] == "诈骗"


def test_the_search_page_says_what_it_did_with_the_words_and_operators(
    app, client, publish_document
):
    publish_document(title="王某盗窃案起诉书", body_markdown="王某在滨江路盗窃电动车。")
    publish_document(title="李某盗窃案起诉书", body_markdown="李某盗窃手机。")
    publish_document(title="赵某诈骗案起诉书", body_markdown="赵某在滨江路诈骗老人。")

    def get(q: str) -> str:
        return client.get("/documents/search", query_string={"q": q}).text

    partial = get("盗窃 电动车 二〇一九年")
    assert (
        "No document contains all of your words; the results below contain some of them. "
        "Missing: <q>二〇一九年</q>" in partial
    )
    assert '<p class="missing">Missing: <q>二〇一九年</q></p>' in partial
    some = get("盗窃 滨江路 电动车")
    assert "1 result contains all of your words; the results after it" not in some  # all: one
    wider = get("盗窃 滨江路 手机")
    assert "No document contains all of your words" in wider
    assert "Missing: <q>手机</q>" in wider and "Missing: <q>滨江路</q>" in wider
    either = get("电动车 OR 老人")
    assert "王某盗窃案起诉书" in either and "赵某诈骗案起诉书" in either
    without = get("盗窃 -电动车")
    assert "李某<mark>盗窃</mark>案起诉书" in without and "王某" not in without
    assert "Documents containing <q>电动车</q> are left out." in without
    ignored = get("盗窃 NOT")
    assert "Not used in your search: <q>NOT</q>." in ignored
    escaped = get("盗窃 -<i>x")
    assert "Documents containing <q>&lt;i&gt;x</q> are left out." in escaped
    chinese = app.test_client().get("/documents/search", query_string={"q": "盗窃 滨江路 手机"})
    assert "未找到同时包含全部词语的结果，以下结果包含其中部分词语。" in chinese.text
    assert "缺少：<q>手机</q>" in chinese.text
    api = client.get("/api/v1/search", query_string={"q": "盗窃 滨江路 手机 NOT 老人"}).json
    assert api["understood"] == {
        "ignored": [],
        "excluded": ["老人"],
        "all_words": 0,
        "missing": [],
        "corrected": None,
        "closest": False,
    }
    assert "partial_match" in api["notices"]
    assert sorted(r["missing"] for r in api["results"]) == [["手机"], ["滨江路"]]


def test_a_search_the_words_cannot_answer_shows_the_closest_documents_and_says_so(
    app, client, publish_document
):
    publish_document(title="王某盗窃案起诉书", body_markdown="王某在滨江路盗窃电动车。")
    publish_document(title="赵某故意伤害案起诉书", body_markdown="赵某在学府路打伤他人。")
    page = client.get("/documents/search", query_string={"q": "学府路盗窃"}).text
    assert '<p class="notice" id="search-closest">No exact matches; these are the closest.</p>' in (
        page
    )
    assert "赵某故意伤害案起诉书" in page and "No document contains all of your words" not in page
    chinese = app.test_client().get("/documents/search", query_string={"q": "学府路盗窃"}).text
    assert "未找到完全匹配的结果，以下是相近的结果。" in chinese
    api = client.get("/api/v1/search", query_string={"q": "学府路盗窃"}).json
    assert api["understood"]["closest"] is True and "closest_match" in api["notices"]
    exact = client.get("/documents/search", query_string={"q": "盗窃"}).text
    assert 'id="search-closest"' not in exact


def test_a_word_no_document_has_is_said_to_be_missing_and_blocks_nothing(client, publish_document):
    publish_document(title="王某盗窃案起诉书", body_markdown="王某在滨江路盗窃电动车。")
    api = client.get("/api/v1/search", query_string={"q": "电动车 量子力学"}).json
    assert api["total"] == 1 and api["understood"]["missing"] == ["量子力学"]
    assert api["understood"]["closest"] is False and "partial_match" in api["notices"]
