"""Every kind of Lambda event reaches the right place; nothing unrecognised ever raises (SPEC 3)."""

import json
import logging

import pytest

from shipcaptaincrew import config
from shipcaptaincrew.api import ROUTES
from shipcaptaincrew.app import App, set_app
from shipcaptaincrew.http import Route

ALLOWED = "https://app.example.com"


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ([], "unknown_event"),
        ([{"action": "push_to_book"}], "unknown_event"),
        ("push_to_book", "unknown_event"),
        (None, "unknown_event"),
        ({}, "unknown_event"),
        ({"hello": "world", "n": 1}, "unknown_event"),
        ({"action": "nope"}, "unknown_action"),
        ({"action": None}, "unknown_action"),
        ({"action": ["push_to_book"]}, "unknown_action"),
        ({"action": "nope", "scheduled_time": "2026-03-05T16:00:00Z"}, "unknown_action"),
        (
            {
                "detail-type": "Scheduled Event",
                "resources": ["arn:aws:events:us-west-2:123456789012:rule/ptb_unknown"],
            },
            "unknown_rule",
        ),
        ({"detail-type": "Scheduled Event", "resources": []}, "unknown_rule"),
        ({"Records": [{"eventSource": "aws:s3"}]}, "unknown_event"),
    ],
)
def test_unrecognised_invocations_get_a_clear_error_and_never_raise(handler, event, code):
    answer = handler(event, None)
    assert answer["error"]["code"] == code
    assert isinstance(answer["error"]["message"], str)
    json.dumps(answer)  # the answer is JSON, as Lambda must return it


def test_queued_records_that_can_never_succeed_are_logged_not_redelivered(handler, sample_event, caplog):
    # GIVEN a good push_to_book record, one with a broken JSON body and one with an unknown action
    event = sample_event("sqs_actions.json")
    good, broken, unknown = (record["messageId"] for record in event["Records"])
    # WHEN the batch is handled
    with caplog.at_level(logging.ERROR):
        answer = handler(event, None)
    # THEN no record is listed for redelivery: the poison ones would only fail again (issue 13)
    assert answer == {"batchItemFailures": []}
    # AND each poison record is logged with its message id
    logged = {
        getattr(record, "message_id", None) for record in caplog.records if record.levelno == logging.ERROR
    }
    assert {broken, unknown} <= logged and good not in logged


def test_a_queued_record_whose_body_is_not_an_object_is_dropped_not_redelivered(handler, sample_event):
    event = sample_event("sqs_actions.json")
    event["Records"] = [{**event["Records"][0], "messageId": "m-1", "body": '["push_to_book"]'}]
    assert handler(event, None) == {"batchItemFailures": []}


@pytest.mark.parametrize("name", ["apigw_http_v2_get_me.json", "apigw_rest_v1_get_me.json"])
def test_http_api_and_rest_api_requests_both_answer_get_me(handler, sample_event, admin_token, name):
    event = sample_event(name)
    for headers in (event["headers"], event.get("multiValueHeaders") or {}):
        for key in [key for key in headers if key.lower() == "authorization"]:
            headers[key] = (
                f"Bearer {admin_token}" if isinstance(headers[key], str) else [f"Bearer {admin_token}"]
            )
    answer = handler(event, None)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"email": "admin@example.com", "role": "admin"}
    assert answer["headers"]["Content-Type"] == "application/json"


@pytest.fixture
def cors_app(app, aws_endpoint):
    """The App built from an environment with ALLOWED_ORIGIN set, installed for the handler."""
    settings = config.load(
        {
            "AWS_ENDPOINT_URL": aws_endpoint,
            "AWS_REGION": "us-west-2",
            "JWT_SECRET": "test-secret-that-is-long-enough-for-hs256-0123456789",
            "ALLOWED_ORIGIN": ALLOWED,
        }
    )
    cors = App(settings)
    cors.clients = app.clients
    set_app(cors)
    return cors


def preflight(handler, sample_event, origin: str) -> dict:
    event = sample_event("apigw_http_v2_get_me.json")
    event["requestContext"]["http"]["method"] = "OPTIONS"
    event["headers"] = {
        "origin": origin,
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization,content-type",
    }
    return handler(event, None)


def test_a_preflight_from_the_dashboard_origin_is_allowed(handler, sample_event, cors_app):
    answer = preflight(handler, sample_event, ALLOWED)
    assert answer["statusCode"] == 204
    headers = answer["headers"]
    assert headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "PATCH" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" in headers["Access-Control-Allow-Headers"]
    assert headers["Vary"] == "Origin"


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "https://app.example.com.evil.example.com", "null"]
)
def test_a_preflight_from_any_other_origin_gets_no_cors_headers(handler, sample_event, cors_app, origin):
    answer = preflight(handler, sample_event, origin)
    assert not [name for name in answer["headers"] if name.lower().startswith("access-control-")]


def test_error_answers_to_the_dashboard_carry_cors_headers_too(handler, sample_event, cors_app):
    # GIVEN a request from the dashboard with no token: the browser must be able to read the 401
    event = sample_event("apigw_http_v2_get_me.json")
    del event["headers"]["authorization"]
    answer = handler(event, None)
    assert answer["statusCode"] == 401
    assert answer["headers"]["Access-Control-Allow-Origin"] == ALLOWED


def test_a_bug_in_a_handler_is_a_500_with_the_request_id_and_no_traceback(
    handler, sample_event, monkeypatch, caplog
):
    # GIVEN a route whose handler fails with a plain exception
    def explode(request, app):
        raise RuntimeError("connection string postgres://user:hunter2@db")

    monkeypatch.setattr(ROUTES, "routes", [Route("GET", "/api/explode", explode, None), *ROUTES.routes])
    event = sample_event("apigw_http_v2_get_me.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/explode"
    # WHEN it is called
    with caplog.at_level(logging.ERROR):
        answer = handler(event, None)
    # THEN 500, naming the request id so operators can find the log, and nothing of the failure
    assert answer["statusCode"] == 500
    assert json.loads(answer["body"]) == {
        "error": {"code": "internal", "message": "internal error (request id Jx1pQhWBPHcEJtQ=)"}
    }
    assert "hunter2" not in answer["body"]
    assert "Traceback" not in answer["body"]
    # AND the log has the details, under the same request id
    (logged,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert logged.request_id == "Jx1pQhWBPHcEJtQ="
    assert "hunter2" in str(logged.exc_info[1])
