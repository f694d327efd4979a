"""No exits at a kiosk: links out, mail and phone links and downloads become an address
to read and a QR code to scan; the ordinary website keeps its links."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from portal.db import get_session
from portal.disclosure.attachments import add_attachment
from portal.kiosk.exits import rewrite_exits
from portal.pages.services import load_pages
from tests.files import PDF

BODY = (
    "本案材料见[最高人民检察院网站](https://www.spp.gov.cn/spp/index.shtml?a=1&b=2)。"
    "来信请寄[信箱](mailto:letters@example.gov.cn)，电话[0000-12309000](tel:0000-12309000)。"
    "另见[隐私说明](/guide/privacy)与[本站首页](http://localhost:5000/?from=doc)。"
)
LEAVING = re.compile(
    r'href="(?:https?:)?//(?!localhost:5000)|href="(?:mailto|tel|javascript|data):'
)
DOC_PATH = "/documents/示检刑诉〔2021〕77号"


def _document(app: Flask, publish_document) -> None:
    doc = publish_document(number="示检刑诉〔2021〕77号", body_markdown=BODY)
    with app.app_context():
        db = get_session()
        add_attachment(db, db.merge(doc), "起诉书.pdf", PDF)
        db.commit()


def test_document_links_out_become_address_and_qr_code_at_a_kiosk_only(
    app: Flask, client: FlaskClient, kiosk_client, publish_document
) -> None:
    _document(app, publish_document)
    kiosk = kiosk_client

    at_kiosk = kiosk.get(DOC_PATH).text  # first, so that a cached kiosk page would show below
    ordinary = client.get(DOC_PATH).text

    # The ordinary page keeps every link as the editor wrote it, and the attachment link.
    assert 'href="https://www.spp.gov.cn/spp/index.shtml?a=1&amp;b=2"' in ordinary
    assert 'href="mailto:letters@example.gov.cn"' in ordinary
    assert 'href="tel:0000-12309000"' in ordinary
    assert re.search(r'href="/documents/[^"]+/attachments/\d+"', ordinary)
    assert "kiosk-exit" not in ordinary

    # At the kiosk nothing leaves: addresses are written out, web addresses also as QR codes.
    assert not LEAVING.search(at_kiosk)
    assert not re.search(r'href="[^"]*/attachments/', at_kiosk)
    text = html.unescape(at_kiosk)
    assert "https://www.spp.gov.cn/spp/index.shtml?a=1&b=2" in text
    assert "最高人民检察院网站" in text
    assert "letters@example.gov.cn" in text and "0000-12309000" in text
    assert 'href="/guide/privacy"' in at_kiosk  # links within the portal stay links
    assert 'href="/?from=doc"' in at_kiosk  # its own absolute address, kept on the kiosk's origin
    # The attachment's address comes from PORTAL_PUBLIC_URL, as text and QR code.
    assert re.search(
        r'<span class="kiosk-url">http://localhost:5000/documents/[^<]+/attachments/\d+</span>',
        at_kiosk,
    )
    assert at_kiosk.count("<svg") == 2  # the other site and the attachment


def test_a_forged_host_does_not_reach_the_addresses_a_kiosk_shows(
    app: Flask, kiosk_client, publish_document
) -> None:
    _document(app, publish_document)
    kiosk = kiosk_client
    page = kiosk.get(DOC_PATH, headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in page.text
    assert "http://localhost:5000/documents/" in html.unescape(page.text)


def test_guide_page_links_out_are_rewritten_at_a_kiosk(
    app: Flask, client: FlaskClient, kiosk_client, tmp_path: Path
) -> None:
    (tmp_path / "visiting.en.md").write_text(
        "---\ntitle: Visiting us\n---\nSee <https://www.12309.gov.cn/> for the national service.\n",
        encoding="utf-8",
    )
    with app.app_context():
        db = get_session()
        load_pages(db, tmp_path)
        db.commit()
    kiosk = kiosk_client
    at_kiosk = kiosk.get("/guide/visiting").text
    assert not LEAVING.search(at_kiosk)
    assert '<span class="kiosk-url">https://www.12309.gov.cn/</span>' in at_kiosk
    assert at_kiosk.count("https://www.12309.gov.cn/</span>") == 1  # the address once, not twice
    assert 'href="https://www.12309.gov.cn/"' in client.get("/guide/visiting").text


def test_rewriting_keeps_the_rest_of_the_content_as_it_was(app: Flask) -> None:
    source = (
        '<p>A &amp; B &#169; <a href="https://x.example/">the <strong>x</strong> site</a>.</p>\n'
        '<table><tr><td><a href="#top" title="Up">up</a></td></tr></table><hr />'
    )
    with app.test_request_context():
        out = str(rewrite_exits(source))
    assert out.startswith('<p>A &amp; B &#169; <span class="kiosk-exit"')
    assert '<span class="kiosk-exit-label">the <strong>x</strong> site</span>' in out
    assert out.endswith(
        '</span>.</p>\n<table><tr><td><a href="#top" title="Up">up</a></td></tr></table><hr />'
    )


def test_calendar_file_and_booking_qr_image_become_codes_drawn_in_the_page(
    app: Flask, client: FlaskClient, kiosk_client
) -> None:
    from tests.booking.conftest import booking_data
    from tests.booking.factories import make_open_day
    from tests.helpers import submit

    open_day = make_open_day(app)
    response = submit(client, f"/open-days/{open_day.id}/book", booking_data(open_day))
    assert response.status_code == 302
    page = client.get("/open-days/booking").text
    assert 'href="/open-days/booking/visit.ics" download' in page
    assert 'src="/open-days/booking/qr.svg"' in page

    kiosk = kiosk_client
    data = booking_data(open_day, phone="13912345679")
    response = submit(kiosk, f"/open-days/{open_day.id}/book", data)
    assert response.status_code == 302
    page = kiosk.get("/open-days/booking").text
    assert ".ics" not in page and "qr.svg" not in page and " download" not in page
    assert 'data-testid="calendar-qr"' in page and 'data-testid="booking-qr"' in page
    for testid in ("calendar-qr", "booking-qr"):  # each drawn into the page, not fetched
        assert page.split(f'data-testid="{testid}"')[1].split("</figure>")[0].count("<svg") == 1
    assert "Scan with your phone" in page


def test_feeds_links_out_and_the_quick_exit_do_not_leave_a_kiosk(
    app: Flask, client: FlaskClient, kiosk_client
) -> None:
    kiosk = kiosk_client
    register = kiosk.get("/documents/").text
    assert not re.search(r'href="[^"]*\.atom"', register)
    feed = "http://localhost:5000/documents/feed/all.atom"
    assert f'<span class="kiosk-url">{feed}</span>' in register
    assert 'href="/documents/feed/all.atom"' in client.get("/documents/").text

    report = kiosk.get("/submissions/report/").text
    assert not LEAVING.search(report)
    assert '<span class="kiosk-url">https://www.12388.gov.cn/</span>' in report
    # The quick exit ends the visit (the screen is wiped) instead of opening another site.
    assert re.search(r'<form[^>]* class="quick-exit" method="post" action="/kiosk/end">', report)
    ordinary = client.get("/submissions/report/").text
    assert 'href="https://www.12388.gov.cn/"' in ordinary
    assert 'href="https://www.baidu.com/"' in ordinary
