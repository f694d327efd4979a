"""The API answers JSON for every error, describes them, and treats its parameters alike;
a search of symbols only finds nothing and says why, on the page and in the API."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge, TooManyRequests

from portal.disclosure import api
from search.parse import parse


def _is_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.content_type == "application/json", response.text[:200]
    body = response.json
    assert body["status"] == status and body["error"]
    return body


def test_addresses_no_route_matches_answer_json(client):
    assert _is_json_error(client.get("/api/v1/nothing-here"), 404)["error"] == "not found"
    assert _is_json_error(client.get("/api/v2/documents"), 404)
    assert _is_json_error(client.get("/api/v1/documents/示检刑诉[1999]1号"), 404)
    refused = client.post("/api/v1/documents")
    _is_json_error(refused, 405)
    assert "GET" in refused.headers["Allow"]
    # Pages outside the API keep their HTML error pages.
    assert "html" in client.get("/documents/nothing/here/at-all").content_type


def test_refused_parameters_answer_json(client):
    _is_json_error(client.get("/api/v1/documents?year=²"), 400)
    _is_json_error(client.get("/api/v1/search?q=a%00b"), 400)
    _is_json_error(client.get("/api/v1/documents/a%00b"), 404)


def test_an_unknown_type_is_refused_by_search_as_by_the_listing(client, publish_document):
    publish_document()
    listing = client.get("/api/v1/documents?type=unknown")
    search = client.get("/api/v1/search?q=乙醇&type=unknown")
    assert _is_json_error(listing, 400) == _is_json_error(search, 400)
    assert "indictment" in search.json["types"]
    assert client.get("/api/v1/search?q=乙醇&type=indictment").json["total"] == 1


@pytest.mark.parametrize("error", [RequestEntityTooLarge, RequestURITooLarge, TooManyRequests])
def test_errors_raised_inside_the_api_answer_json(client, monkeypatch, error):
    def refuse():
        raise error()

    monkeypatch.setattr(api, "get_index", refuse)
    _is_json_error(client.get("/api/v1/search?q=x"), error.code)


def test_a_server_error_in_the_api_answers_json_without_details(app, client, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "get_index", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    body = _is_json_error(client.get("/api/v1/search?q=x"), 500)
    assert "secret internals" not in str(body)


def test_the_description_lists_the_400_and_414_answers(client):
    spec = client.get("/api/v1/openapi.json").json
    for path, operations in spec["paths"].items():
        responses = operations["get"]["responses"]
        assert {"400", "414"} <= set(responses), path


@pytest.mark.parametrize("q", ["*", "*:*", "(((((", "^~?*[]{}", "AND OR NOT"])
def test_a_query_of_symbols_only_finds_nothing_and_says_why(client, publish_document, q):
    publish_document(title="赵某某危险驾驶案起诉书")
    found = client.get("/api/v1/search", query_string={"q": q}).json
    assert found["total"] == 0 and found["results"] == []
    assert "nothing_to_search" in found["notices"] and "Symbols" in found["hint"]
    page = client.get("/documents/search", query_string={"q": q})
    assert page.status_code == 200
    assert "0 results" in page.text and "are not search commands here" in page.text
    assert "赵某某危险驾驶案起诉书" not in page.text


def test_an_empty_query_with_a_filter_still_lists_the_documents(client, publish_document):
    publish_document(title="赵某某危险驾驶案起诉书")
    found = client.get("/api/v1/search", query_string={"q": "", "type": "indictment"}).json
    assert found["total"] == 1 and "nothing_to_search" not in found["notices"]
    assert client.get("/api/v1/search", query_string={"q": "乙醇"}).json["hint"] is None


def test_the_parser_tells_symbols_from_an_empty_query():
    assert parse("*:*").matches_nothing and parse("(((((").matches_nothing
    assert not parse("").matches_nothing and not parse("   ").matches_nothing
    assert not parse("危险驾驶").matches_nothing
