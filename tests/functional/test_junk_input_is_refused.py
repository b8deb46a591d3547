"""Junk on every route is a 4xx with the error shape, never a 5xx (SPEC 3, HTTP API).

The envelope-level junk walks `ROUTES.routes`, so a new route is covered the day it is added;
the field-level junk needs each body route described in BODIES (a guard test says which is missing).
"""

import json

import pytest
from composition import ROUTES
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shipcaptaincrew.events.model import EDITABLE

BODY_METHODS = {"POST", "PUT", "PATCH"}
TEXT, NUMBER, BOOLEAN, LIST = "text", "number", "boolean", "list"
WRONG_TYPES = {
    TEXT: [17, True, [], {}, ["a"]],
    NUMBER: ["many", True, [], {"n": 1}],
    BOOLEAN: ["yes", 1, 0, None, [], {}],
    LIST: ["Fuel", 1, {}, True],
}
CHARTER_FIELDS = {
    "title": ("Whale watch", TEXT),
    "entity": ("jada", TEXT),
    "date": ("2031-07-01", TEXT),
    "start_time": ("10:00", TEXT),
    "end_time": ("12:00", TEXT),
    "status": ("hold", TEXT),
    "contact_email": ("guest@example.com", TEXT),
    "guests": (6, NUMBER),
    "price": (1200, NUMBER),
    "deposit": (300, NUMBER),
    "checklist": (["Fuel"], LIST),
    "notes": ("Birthday", TEXT),
}
# (method, pattern) -> {field: (a valid value, its kind)}
BODIES = {
    ("POST", "/api/auth/magic-link"): {"email": ("guest@example.com", TEXT)},
    ("POST", "/api/auth/verify"): {"token": ("t" * 43, TEXT)},
    ("POST", "/api/auth/sign-out"): {},  # no body
    ("POST", "/api/users"): {
        "email": ("new@example.com", TEXT),
        "role": ("crew", TEXT),
        "name": ("Pat", TEXT),
    },
    ("PATCH", "/api/users/{email}"): {"role": ("captain", TEXT), "name": ("Pat", TEXT)},
    ("POST", "/api/events"): CHARTER_FIELDS,
    ("PATCH", "/api/events/{event_id}"): CHARTER_FIELDS,
    ("PUT", "/api/events/{event_id}/checklist/{item_id}"): {"done": (True, BOOLEAN)},
    ("POST", "/api/generate-reports"): {"reports": (["cmo"], LIST), "dry_run": (True, BOOLEAN)},
    ("POST", "/api/report-runs/{run_id}/retry"): {},  # no body; the run in `world` does not exist
    ("PUT", "/api/recipients/{report_id}"): {
        "to": (["cfo@example.com"], LIST),
        "bcc": (["archive@example.com"], LIST),
    },
    ("POST", "/api/tasks"): {
        "title": ("Call the marina", TEXT),
        "column": ("todo", TEXT),
        "persona": ("ceo", TEXT),
        "urgency": ("high", TEXT),
    },
    ("PATCH", "/api/tasks/{task_id}"): {"column": ("doing", TEXT), "title": ("Call the marina", TEXT)},
}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


ENVELOPE_JUNK = {
    "invalid-json": "{'title': 'single quotes'}",
    "truncated-json": '{"title": "Whale',
    "json-array": '[{"title": "Whale watch"}]',
    "json-string": '"title"',
    "json-number": "42",
    "json-null": "null",
    "nan-literal": '{"guests": NaN}',
    "infinity-literal": '{"price": Infinity, "done": -Infinity}',
    "deeply-nested": nested(100_000),
    "nested-in-a-field": '{"title": ' + nested(800) + "}",
    "lone-surrogate": '{"title": "\\ud800", "email": "\\udfff@example.com", "token": "\\ud800'
    + "x" * 40
    + '"}',
    "control-characters": "\x00\x01\x02",
}


@pytest.fixture
def world(api, admin_token, add_charter, add_user):
    """A charter with an item and a crew member, so path parameters name real things."""
    charter = add_charter(checklist=["Fuel"])
    add_user("deckhand@example.com", "crew")
    _, task, _ = api.call("POST", "/api/tasks", {"title": "Call the marina"}, token=admin_token)
    return {
        "event_id": charter["id"],
        "item_id": charter["checklist"][0]["id"],
        "email": "deckhand@example.com",
        "task_id": task["id"],
        "report_id": "cfo",
        "run_id": "run-that-does-not-exist",
        "token": admin_token,
    }


def concrete(route, world: dict) -> str:
    """Fill the pattern's {parameters}; DELETE gets unknown ids so the walk does not remove things."""
    path = route.pattern
    for part in path.split("/"):
        if part.startswith("{"):
            name = part[1:-1]
            value = world.get(name, "unknown-id") if route.method != "DELETE" else "unknown-id"
            path = path.replace(part, value)
    return path


def problems_with(status: int, data, expected) -> str | None:
    """Return why an answer breaks the contract, or None."""
    if status >= 500:
        return f"{status} {data}"
    if status not in expected:
        return f"status {status}, expected {sorted(expected)}"
    if status >= 400:
        error = (data or {}).get("error") if isinstance(data, dict) else None
        if not (
            isinstance(error, dict)
            and isinstance(error.get("code"), str)
            and isinstance(error.get("message"), str)
        ):
            return f"no error shape: {data}"
    return None


ANY_4XX = set(range(400, 500))
ANY_BELOW_500 = set(range(200, 500))


def test_every_body_route_is_described_for_field_level_junk():
    body_routes = {(route.method, route.pattern) for route in ROUTES.routes if route.method in BODY_METHODS}
    missing = body_routes - set(BODIES)
    assert not missing, f"describe the JSON body of {sorted(missing)} in BODIES"


@pytest.mark.parametrize("kind", sorted(ENVELOPE_JUNK))
def test_malformed_bodies_are_4xx_on_every_route(api, world, kind):
    failures = []
    for route in ROUTES.routes:
        status, data, _ = api.call(
            route.method, concrete(route, world), raw=ENVELOPE_JUNK[kind], token=world["token"]
        )
        expected = ANY_4XX if route.method in BODY_METHODS else ANY_BELOW_500
        problem = problems_with(status, data, expected)
        if problem:
            failures.append(f"{route.method} {route.pattern}: {problem}")
    assert failures == []


def test_a_body_over_256_kib_is_413_on_every_route(api, world):
    huge = json.dumps({"notes": "x" * (256 * 1024)})  # 262,144 characters plus the JSON around them
    for route in ROUTES.routes:
        status, data, _ = api.call(route.method, concrete(route, world), raw=huge, token=world["token"])
        assert (route.pattern, status, data["error"]["code"]) == (route.pattern, 413, "payload_too_large")


def test_invalid_base64_is_400_on_every_route(handler, world):
    for route in ROUTES.routes:
        path = concrete(route, world)
        event = {
            "version": "2.0",
            "rawPath": path,
            "rawQueryString": "",
            "headers": {"authorization": f"Bearer {world['token']}"},
            "requestContext": {"http": {"method": route.method, "path": path}, "requestId": "r"},
            "body": "this is not base64!",
            "isBase64Encoded": True,
        }
        answer = handler(event, None)
        assert (route.pattern, answer["statusCode"]) == (route.pattern, 400)
        assert json.loads(answer["body"])["error"]["message"] == "the body is not valid base64"


def field_cases():
    """Yield (method, pattern, field, wrong value) for every described field and wrong type."""
    for (method, pattern), fields in BODIES.items():
        for name, (_valid, kind) in fields.items():
            for wrong in WRONG_TYPES[kind]:
                yield method, pattern, name, wrong


def route_for(method: str, pattern: str):
    return next(route for route in ROUTES.routes if (route.method, route.pattern) == (method, pattern))


def valid_body(method: str, pattern: str) -> dict:
    return {name: valid for name, (valid, _kind) in BODIES[(method, pattern)].items()}


@pytest.mark.parametrize(("method", "pattern"), sorted(BODIES))
def test_the_described_valid_bodies_pass_validation(api, world, method, pattern):
    # Shows that the refusals below come from the one field made wrong.
    status, data, _ = api.call(
        method, concrete(route_for(method, pattern), world), valid_body(method, pattern), token=world["token"]
    )
    expected_refusal = {"/api/auth/verify": 401, "/api/report-runs/{run_id}/retry": 404}.get(pattern)
    assert status < 400 or status == expected_refusal, data


def test_each_field_of_the_wrong_type_is_refused_naming_it(api, world):
    failures = []
    for method, pattern, name, wrong in field_cases():
        body = {**valid_body(method, pattern), name: wrong}
        status, data, _ = api.call(
            method, concrete(route_for(method, pattern), world), body, token=world["token"]
        )
        problem = problems_with(status, data, ANY_4XX)
        if not problem and status == 400 and data["error"].get("field") != name:
            problem = f"error names field {data['error'].get('field')!r}"
        if problem:
            failures.append(f"{method} {pattern} {name}={wrong!r}: {problem}")
    assert failures == []


@pytest.mark.parametrize(("method", "pattern"), sorted(BODIES))
def test_unknown_fields_are_refused_naming_the_field(api, world, method, pattern):
    body = {**valid_body(method, pattern), "surprise": 1}
    status, data, _ = api.call(
        method, concrete(route_for(method, pattern), world), body, token=world["token"]
    )
    assert status == 400
    assert data["error"]["field"] == "surprise"


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "limit=-1",
        "limit=ten",
        "limit=%C2%B2",
        "limit=",
        "status=sailing",
        "cursor=%%%",
        "cursor=e30",
    ],
)
def test_bad_listing_parameters_are_400(api, admin_token, query):
    # "%C2%B2" is "²": str.isdigit() says yes but int() refuses it (this was a 500);
    # "e30" is base64 for "{}" without its "=" padding, so it does not decode
    status, data, _ = api.call("GET", f"/api/events?{query}", token=admin_token)
    assert status == 400, data
    assert data["error"]["field"] in {"limit", "status", "cursor"}


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
PLAUSIBLE = {
    "date": st.dates().map(lambda day: day.isoformat()),
    "start_time": st.times().map(lambda moment: moment.strftime("%H:%M")),
    "end_time": st.times().map(lambda moment: moment.strftime("%H:%M")),
    "status": st.sampled_from(["inquiry", "hold", "booked", "completed", "cancelled", "sailing"]),
    "entity": st.sampled_from(["jada", "quickdumpnow", "atlantis"]),
    "contact_email": st.emails(),
    "price": st.decimals(allow_nan=True).map(str) | st.floats(),
    "deposit": st.decimals(allow_nan=True).map(str) | st.floats(),
    "checklist": st.lists(
        st.text(max_size=20)
        | st.fixed_dictionaries(
            {"text": st.text(max_size=20)}, optional={"id": JSON_LEAVES, "done": JSON_LEAVES}
        ),
        max_size=5,
    ),
}
CHARTER_BODIES = st.fixed_dictionaries(
    {}, optional={name: PLAUSIBLE.get(name, JSON_LEAVES) | JSON_VALUES for name in EDITABLE}
)
RANDOM_BODIES = (CHARTER_BODIES | JSON_VALUES).map(json.dumps) | st.text(max_size=60)
FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(raw=RANDOM_BODIES)
def test_random_bodies_never_break_creating_a_charter(api, admin_token, raw):
    status, data, _ = api.call("POST", "/api/events", raw=raw, token=admin_token)
    assert problems_with(status, data, {201, *ANY_4XX}) is None


@FUZZ
@given(raw=RANDOM_BODIES)
def test_random_bodies_never_break_changing_a_charter(api, admin_token, world, raw):
    status, data, _ = api.call("PATCH", f"/api/events/{world['event_id']}", raw=raw, token=admin_token)
    assert problems_with(status, data, {200, *ANY_4XX}) is None
