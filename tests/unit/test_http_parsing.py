"""API Gateway events in, Requests out; the route table's matching; responses and the 500 edge."""

import base64
import json
from pathlib import Path

import pytest

from shipcaptaincrew.errors import BadRequest, MethodNotAllowed, NotFound, PayloadTooLarge, Unauthorized
from shipcaptaincrew.http import (
    MAX_BODY_BYTES,
    Request,
    Response,
    Router,
    bearer_token,
    error_response,
    parse_event,
)

EVENTS = Path(__file__).resolve().parent.parent / "events"


def sample(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def http_v2(**changes) -> dict:
    event = {
        "version": "2.0",
        "rawPath": "/api/events",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {"http": {"method": "GET", "path": "/api/events"}, "requestId": "r-1"},
        "isBase64Encoded": False,
    }
    return {**event, **changes}


def test_an_http_api_v2_event_becomes_a_request():
    request = parse_event(sample("apigw_http_v2_get_me.json"))
    assert (request.method, request.path, request.request_id) == ("GET", "/api/me", "Jx1pQhWBPHcEJtQ=")
    assert request.headers["authorization"] == "Bearer REPLACED_BY_THE_TEST"
    assert request.body == b""


def test_a_rest_api_v1_event_loses_its_stage_prefix_and_header_case():
    request = parse_event(sample("apigw_rest_v1_get_me.json"))
    assert (request.method, request.path) == ("GET", "/api/me")  # "/prod/api/me" without the stage
    assert request.headers["authorization"] == "Bearer REPLACED_BY_THE_TEST"
    assert request.request_id == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_query_strings_and_repeated_slashes_are_normalised():
    request = parse_event(http_v2(rawPath="//api//events", rawQueryString="status=hold&limit=5&cursor="))
    assert request.path == "/api/events"
    assert request.query == {"status": "hold", "limit": "5", "cursor": ""}


def test_a_base64_body_is_decoded_and_an_invalid_one_is_refused():
    encoded = base64.b64encode(b'{"a": 1}').decode()
    assert parse_event(http_v2(body=encoded, isBase64Encoded=True)).body == b'{"a": 1}'
    with pytest.raises(BadRequest):
        parse_event(http_v2(body="not base64!", isBase64Encoded=True))


def test_a_body_over_256_kib_is_too_large_but_exactly_256_kib_is_not():
    assert len(parse_event(http_v2(body="x" * MAX_BODY_BYTES)).body) == 262_144  # 256 * 1024
    with pytest.raises(PayloadTooLarge):
        parse_event(http_v2(body="x" * (MAX_BODY_BYTES + 1)))


@pytest.mark.parametrize(
    "body",
    [
        b"{",  # not JSON
        b"[1, 2]",  # an array
        b'"text"',  # a string
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": -Infinity}',
        b"[" * 100_000,  # nesting deeper than the parser's recursion limit
        b'{"a": "\\ud800"}',  # a lone surrogate: valid JSON syntax, not encodable text
    ],
)
def test_only_a_json_object_of_real_text_is_a_json_body(body):
    with pytest.raises(BadRequest):
        Request(method="POST", path="/", body=body).json()


def test_an_empty_body_is_an_empty_object():
    assert Request(method="POST", path="/", body=b"  ").json() == {}


def handler(request, app):
    return Response.json({})


def router() -> Router:
    routes = Router()
    routes.route("GET", "/api/events/{event_id}")(handler)
    routes.route("PATCH", "/api/events/{event_id}", role="admin")(handler)
    routes.route("PUT", "/api/events/{event_id}/checklist/{item_id}", role="user")(handler)
    return routes


def test_a_route_pattern_yields_its_decoded_path_parameters():
    route, params = router().resolve("PUT", "/api/events/e1/checklist/a%20b")
    assert route.role == "user"
    assert params == {"event_id": "e1", "item_id": "a b"}


def test_a_known_path_with_the_wrong_method_is_405_naming_the_allowed_ones():
    with pytest.raises(MethodNotAllowed) as refused:
        router().resolve("DELETE", "/api/events/e1")
    assert refused.value.message.endswith("use GET, PATCH")


@pytest.mark.parametrize(
    "path", ["/api/events", "/api/events//checklist/x", "/api/nothing", "/api/events/e1/x"]
)
def test_an_unknown_path_is_404(path):
    with pytest.raises(NotFound):
        router().resolve("GET", path)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic abc", "Token abc", "bearer"])
def test_a_missing_or_ill_formed_authorization_header_is_401(header):
    headers = {} if header is None else {"authorization": header}
    with pytest.raises(Unauthorized):
        bearer_token(Request(method="GET", path="/", headers=headers))


def test_the_bearer_scheme_is_case_insensitive():
    assert bearer_token(Request(method="GET", path="/", headers={"authorization": "bearer abc"})) == "abc"


def test_an_unexpected_error_is_a_500_with_the_request_id_and_no_details():
    response = error_response(KeyError("secret internals"), "req-42").to_event()
    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {
        "error": {"code": "internal", "message": "internal error (request id req-42)"}
    }


def test_an_app_error_keeps_its_status_field_and_headers():
    from shipcaptaincrew.errors import TooManyRequests

    response = error_response(TooManyRequests("slow down", headers={"Retry-After": "60"}), "r").to_event()
    assert response["statusCode"] == 429
    assert response["headers"]["Retry-After"] == "60"
    assert response["headers"]["Content-Type"] == "application/json"
    bad = error_response(BadRequest("date is bad", field="date"), "r").to_event()
    assert json.loads(bad["body"]) == {
        "error": {"code": "bad_request", "message": "date is bad", "field": "date"}
    }
