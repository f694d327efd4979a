"""Templates' url_for and gettext are memoised, and give exactly what Flask's would."""

from __future__ import annotations

from flask import render_template_string, url_for
from flask_babel import force_locale


def test_memoised_links_match_flask_for_every_kind_of_call(app):
    calls = [
        ("core.home", {}),
        ("static", {"filename": "css/site.css"}),
        ("disclosure.search", {"q": "盗窃 & <x>", "page": 2}),
        ("disclosure.search", {"q": "醉驾", "type": ["indictment", "protest"]}),
        ("disclosure.search", {"q": None}),
        ("core.home", {"_external": True}),
        ("core.home", {"_anchor": "main"}),
    ]
    for script_root in ("", "/portal"):
        # Links follow the public address (a site mounted under a path says so there).
        app.config["PUBLIC_URL"] = "http://localhost" + script_root
        with app.test_request_context(
            "/documents/search", base_url="http://localhost" + script_root
        ):
            for endpoint, values in calls:
                template = "{{ url_for(endpoint, **values) }}"
                for _ in range(2):  # the second call is answered from the memo
                    shown = render_template_string(template, endpoint=endpoint, values=values)
                    assert shown == str(url_for(endpoint, **values).replace("&", "&amp;"))
            assert script_root + "/documents/search" in render_template_string(
                "{{ url_for('disclosure.search') }}"
            )


def test_a_blueprint_relative_link_follows_the_current_blueprint(app):
    template = "{{ url_for('.search') }}"
    with app.test_request_context("/documents/"):
        app.preprocess_request()
        assert render_template_string(template) == url_for("disclosure.search")


def test_template_translations_follow_a_forced_locale_within_one_request(app):
    template = "{{ _('Search published documents') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(template)
        with force_locale("zh_Hans"):
            chinese = render_template_string(template)
        assert render_template_string(template) == english == "Search published documents"
        assert chinese != english and chinese.strip()


def test_numeric_dates_are_shown_in_the_portal_time_zone(app):
    from datetime import UTC, date, datetime

    from flask_babel import format_date

    late_evening_utc = datetime(2024, 5, 6, 20, 30, tzinfo=UTC)  # 7 May in Beijing
    with app.test_request_context("/"):
        for value in (late_evening_utc, late_evening_utc.replace(tzinfo=None), date(2024, 5, 6)):
            shown = render_template_string("{{ d|dateformat('yyyy-MM-dd') }}", d=value)
            assert shown == format_date(value, "yyyy-MM-dd")
        assert render_template_string("{{ d|dateformat('yyyy-MM-dd') }}", d=late_evening_utc) == (
            "2024-05-07"
        )
        assert render_template_string("{{ d|dateformat('long') }}", d=late_evening_utc) == (
            format_date(late_evening_utc, "long")
        )


def test_template_messages_format_and_escape_as_jinja_newstyle_gettext(app):
    from flask_babel import get_translations
    from jinja2 import Environment

    stock = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    cases = [
        "{{ _('Search published documents') }}",
        "{{ _('Search: %(q)s', q='<b>盗窃</b> & co') }}",
        "{{ _('100%% sure') }}",
        "{{ ngettext('%(num)d result', '%(num)d results', 3) }}",
        "{{ ngettext('%(num)d result', '%(num)d results', 1) }}",
        "{% trans %}50% off{% endtrans %}",
        "{% trans n=2 %}{{ n }} item{% pluralize %}{{ n }} items{% endtrans %}",
        "{{ pgettext('menu', 'Home') }}",
        "{{ npgettext('menu', '%(num)d page', '%(num)d pages', 2) }}",
    ]
    for language in ("en", "zh_Hans"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            stock.install_gettext_translations(get_translations(), newstyle=True)
            for source in cases:
                assert render_template_string(source) == stock.from_string(source).render()
            assert render_template_string(cases[0]) != "" and "&lt;b&gt;" in (
                render_template_string(cases[1])
            )
