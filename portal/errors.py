"""Error pages in the visitor's language, for every status a visitor can meet."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .security import is_safe_next

PAGES = {400, 403, 404, 405, 413, 429, 500}
API_PREFIX = "/api/"  # errors under it answer JSON, whether or not a route matched
# Fields never echoed back on the expired-form page.
SECRET_FIELDS = ("password", "code", "csrf_token", "secret", "id_number", "token")


def _typed_values() -> list[tuple[str, str]]:
    """What the person typed, so that an expired form costs them nothing."""
    values = []
    try:
        form = request.form
    except Exception:  # noqa: BLE001 - an unreadable body has nothing to keep
        return values
    for name, value in form.items(multi=True):
        if any(secret in name.lower() for secret in SECRET_FIELDS) or not value.strip():
            continue
        values.append((name, value[:20000]))
    return values


def _render(status: int, **context: object) -> ResponseReturnValue:
    return render_template(f"errors/{status}.html", **context), status


def api_error(error: HTTPException) -> Response:
    """An HTTP error as the API's JSON: `{"error": "not found", "status": 404, "message": ...}`."""
    code = error.code or 500
    response = jsonify(
        error=(error.name or "error").lower(), status=code, message=error.description
    )
    response.status_code = code
    for key, value in error.get_headers():
        if key.lower() in {"allow", "retry-after"}:
            response.headers[key] = value
    return response


def _for_api() -> bool:
    return request.path.startswith(API_PREFIX)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
        back = request.path if is_safe_next(request.path) else "/"
        return _render(400, expired_form=True, typed=_typed_values(), back=back)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        if _for_api():
            return api_error(error)
        code = error.code or 500
        if code not in PAGES:
            return error
        body, status = _render(code)  # type: ignore[misc]
        allow = [(k, v) for k, v in error.get_headers() if k.lower() == "allow"]
        return body, status, allow

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError) -> ResponseReturnValue:
        if _for_api():
            return api_error(InternalServerError())  # never the original error's text
        return _render(500)
