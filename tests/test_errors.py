"""Error pages exist for every status a visitor can meet, in both languages."""

from __future__ import annotations

import pytest
from flask import abort

EXPECTED = {
    400: ("The request could not be understood", "无法处理"),
    403: ("You do not have permission to see this page", "没有权限"),
    404: ("Page not found", "页面不存在"),
    405: ("This page cannot be used that way", "不能这样使用"),
    413: ("What you sent is too large", "过大"),
    429: ("Too many attempts", "尝试次数过多"),
    500: ("Sorry, something went wrong on our side", "出了问题"),
}


@pytest.fixture
def failing_app(app):
    """Routes that fail on purpose, registered before the first request."""

    def make_abort(code):
        return lambda: abort(code)

    for code in (400, 403, 413, 429):
        app.add_url_rule(f"/_fail/{code}", f"fail_{code}", make_abort(code))

    def crash():
        raise RuntimeError("boom")

    app.add_url_rule("/_fail/500", "fail_500", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in testing
    app.add_url_rule("/_fail/405", "fail_405", lambda: "ok", methods=["POST"])
    return app


def _path(code):
    return "/no-such-page" if code == 404 else f"/_fail/{code}"


@pytest.mark.parametrize("code", sorted(EXPECTED))
@pytest.mark.parametrize("language, index", [("en", 0), ("zh-CN,zh;q=0.9", 1)])
def test_error_page_in_each_language(failing_app, code, language, index):
    client = failing_app.test_client()
    response = client.get(_path(code), headers={"Accept-Language": language})
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert EXPECTED[code][index] in response.text
    assert "0000-12309000" in response.text  # what to do next: call us
    assert "boom" not in response.text  # no internals leak


def test_405_names_the_allowed_methods(failing_app):
    response = failing_app.test_client().get("/_fail/405")
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed == {"OPTIONS", "POST"}
