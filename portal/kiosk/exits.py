"""No exits at a kiosk: what would leave the portal becomes something to read and scan.

A link to another site, a file to download, a `mailto:` or `tel:` address: on a
liaison-office screen each would take the visitor out of the portal (or do
nothing useful). At a kiosk they become the address written out and, for web
addresses, a QR code to open it on a phone. The ordinary site keeps its links.

Absolute addresses of this portal's own files are built with `url_for(...,
_external=True)`, i.e. from PORTAL_PUBLIC_URL, never from the request.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from flask import Flask, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..public_url import public_base
from .device import current_kiosk
from .qr import qr_svg

WEB_SCHEMES = frozenset({"http", "https"})
MULTIPART = "multipart/form-data"


def carry_away(url: str, label: object = "") -> Markup:
    """The label, the address as text and (for web addresses) its QR code.

    Phrasing content only (spans and an inline SVG), so that it can stand where
    a link stood, inside a paragraph, a list item or a table cell.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    # Written out readably (Chinese as Chinese, not %-escapes); the QR code holds the URL.
    shown = unquote(parts.path if scheme in {"mailto", "tel"} else url)
    pieces = [Markup('<span class="kiosk-exit" data-kiosk-exit="{}">').format(url)]
    if label and escape(label).striptags() != shown:
        pieces.append(Markup('<span class="kiosk-exit-label">{}</span> ').format(label))
    pieces.append(Markup('<span class="kiosk-url">{}</span>').format(shown))
    if scheme in WEB_SCHEMES:
        pieces.append(qr_svg(url, title=_("QR code of %(address)s", address=url), scale=5))
    pieces.append(Markup("</span>"))
    return Markup("").join(pieces)


def exit_link(href: str, text: object, rel: str = "noopener") -> Markup:
    """A link to another site, or a `mailto:`/`tel:` address; at a kiosk, `carry_away`."""
    if current_kiosk() is not None:
        return carry_away(href, text)
    rel_attr = Markup(' rel="{}"').format(rel) if rel else Markup("")
    return Markup('<a href="{}"{}>{}</a>').format(href, rel_attr, text)


def file_link(endpoint: str, text: object, download: bool = False, **values: Any) -> Markup:
    """A link to a file of this portal (calendar file, attachment, feed); at a kiosk,
    its public address as text and QR code, to fetch on a phone."""
    if current_kiosk() is not None:
        return carry_away(url_for(endpoint, _external=True, **values), text)
    flag = Markup(" download") if download else Markup("")
    return Markup('<a href="{}"{}>{}</a>').format(url_for(endpoint, **values), flag, text)


def leaves_portal(href: str) -> bool:
    """Whether following `href` from a page of this portal would leave it."""
    parts = urlsplit(href.strip())
    if parts.scheme and parts.scheme.lower() not in WEB_SCHEMES:
        return True  # mailto:, tel:, and anything else a browser hands to another program
    return bool(parts.netloc) and parts.netloc.lower() != public_base().netloc.lower()


def _own_path(href: str) -> str:
    """An absolute address of this portal as a path, so the screen stays on its own origin."""
    parts = urlsplit(href.strip())
    if not parts.netloc:
        return href
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


class _ExitRewriter(HTMLParser):
    """Re-emits cleaned content HTML as it was, except the anchors that leave the portal."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.anchor: tuple[str, list[str]] | None = None  # href and inner HTML of an exit

    def _emit(self, text: str) -> None:
        (self.anchor[1] if self.anchor is not None else self.out).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and self.anchor is None:
            href = dict(attrs).get("href") or ""
            if leaves_portal(href):
                self.anchor = (href, [])
                return
            if href and href != _own_path(href):
                rest = Markup("").join(
                    Markup(' {}="{}"').format(k, v) for k, v in attrs if k != "href" and v
                )
                self._emit(Markup('<a href="{}"{}>').format(_own_path(href), rest))
                return
        self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.anchor is not None:
            href, inner = self.anchor
            self.anchor = None
            self.out.append(carry_away(href, Markup("".join(inner))))  # noqa: S704 - cleaned HTML
            return
        self._emit(f"</{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit(self.get_starttag_text() or "")

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit(f"&#{name};")


def rewrite_exits(html: str) -> Markup:
    """Content HTML (cleaned by `markup.render_markdown`) with every link that leaves
    the portal replaced by `carry_away`; links within the portal are kept."""
    rewriter = _ExitRewriter()
    rewriter.feed(html)
    rewriter.close()
    if rewriter.anchor is not None:  # an anchor left open: keep its text
        rewriter.handle_endtag("a")
    return Markup("".join(rewriter.out))  # noqa: S704 - the input was cleaned before storage


def content_html(html: str | None) -> Markup:
    """Stored, cleaned content HTML for a page: as stored on the ordinary site, with
    its exits rewritten at a kiosk (computed per request, never stored or cached)."""
    html = html or ""
    if current_kiosk() is None:
        return Markup(html)  # noqa: S704 - cleaned by bleach when it was stored
    return rewrite_exits(html)


def refuse_uploads() -> ResponseReturnValue | None:
    """A kiosk offers no file fields; a file sent from one anyway is refused, unread.

    A file left on a shared screen's disk or picked from its folders is not a
    visitor's own: files reach the procuratorate online, by post or at the counter.
    """
    if current_kiosk() is None or request.method != "POST" or request.mimetype != MULTIPART:
        return None
    if any(upload.filename for _name, upload in request.files.items(multi=True)):
        return render_template("kiosk/no_uploads.html"), 403
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_uploads)  # after the device check that sets the kiosk
    app.jinja_env.globals.update(exit_link=exit_link, file_link=file_link, carry_away=carry_away)
    app.jinja_env.filters["content_html"] = content_html
