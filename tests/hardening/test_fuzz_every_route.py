"""Generated requests to every route through lambda_handler: whatever arrives, the answer is a
JSON error or a success, never a 5xx and never a traceback (SPEC section 3: never a 500 for
bad input)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest
from composition import ROUTES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = [
    "title", "entity", "date", "start_time", "end_time", "status", "contact_email", "guests", "price",
    "deposit", "checklist", "notes", "email", "role", "name", "token", "reports", "dry_run", "to", "bcc",
    "column", "persona", "urgency", "source", "done", "id", "text",
]  # fmt: skip
HEADERS = [
    "content-type",
    "idempotency-key",
    "origin",
    "accept",
    "cookie",
    "x-forwarded-for",
    "authorization",
]
SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure can be replayed
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Payloads that try to reach a mail header or break a line: RFC 2047 encoded words (the
# CVE-2024-6923 shape), control characters (C0, DEL, C1, U+2028/2029) and header-breaking text.
HEADER_PAYLOADS = [
    "X =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?=",
    "=?utf-8?q?x=0d=0aBcc=3a_evil=40evil.example?=:x@example.com",
    "=?utf-8?b?DQpCY2M6IGV2aWxAZXZpbC5leGFtcGxl?=",
    "Sail =?iso-8859-1?Q?caf=E9?= trip",
    "Sail\r\nBcc: evil@evil.example",
    "Sail\nReply-To: evil@evil.example",
    "Sail\rX-Injected: 1",
    "Sail\x00null",
    "Sail\x1bescape",
    "Sail\x7fdel",
    "Sail\x85next-line",
    "Sail\u2028line-separator",
    "Sail\u2029paragraph-separator",
    "Sail\tTab",
    "evil@evil.example, other@evil.example",
    "Evil <evil@evil.example>",
    "a:evil@evil.example",
    "team: evil@evil.example;",
    "=?utf-8?q?x?=@example.com",
    '"a@b"@example.com',
]
# Every text field of every body route, with a body in which it is the only thing wrong.
TEXT_FIELDS = {
    ("POST", "/api/auth/magic-link"): ({}, ["email"]),
    ("POST", "/api/users"): ({"email": "pat@example.com", "role": "crew"}, ["email", "name"]),
    ("PATCH", "/api/users/{email}"): ({}, ["name"]),
    ("POST", "/api/events"): (
        {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14"},
        ["title", "contact_email", "notes", "checklist", "entity", "status", "start_time"],
    ),
    ("PATCH", "/api/events/{event_id}"): ({}, ["title", "contact_email", "notes", "checklist"]),
    ("PUT", "/api/recipients/{report_id}"): ({"to": ["cfo@example.com"]}, ["to", "bcc"]),
    ("POST", "/api/tasks"): ({"title": "Call the marina"}, ["title", "persona", "source", "urgency"]),
    ("PATCH", "/api/tasks/{task_id}"): ({}, ["title", "persona", "column"]),
    ("POST", "/api/generate-reports"): ({"dry_run": True}, ["reports"]),
}
LIST_FIELDS = {"checklist", "to", "bcc", "reports"}
ADDRESS_FIELDS = {"email", "contact_email", "to", "bcc"}
# Text that reaches a mail header (a nudge's subject, a display name): encoded words refused too.
HEADER_FIELDS = {
    ("/api/events", "title"),
    ("/api/events/{event_id}", "title"),
    ("/api/users", "name"),
    ("/api/users/{email}", "name"),
}
MULTILINE_FIELDS = {"notes"}  # never reaches a header: tabs and newlines are kept there

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(HEADER_PAYLOADS)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
objects = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), json_values, max_size=6)
bodies = st.one_of(
    st.none(),
    objects.map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda raw: ("b64", base64.b64encode(raw).decode())),
    st.just(("b64", "not base64!")),
)
segments = st.one_of(
    st.sampled_from(["cfo", "ceo", "jada", "admin@example.com", "crew@example.com", "run-x", "0", ".."]),
    st.text(min_size=1, max_size=30).map(lambda s: quote(s, safe="")),
)
headers = st.dictionaries(
    st.sampled_from(HEADERS) | st.text(min_size=1, max_size=12), st.text(max_size=60), max_size=4
)
queries = st.one_of(
    st.just(""),
    st.sampled_from(
        ["format=json", "format=text", "format=pdf", "status=hold", "limit=-1", "cursor=%%%", "limit=x"]
    ),
    st.text(max_size=40),
)
who = st.sampled_from(["admin", "crew", "nobody", "junk"])


def _event(method: str, path: str, query: str, head: dict, body, authorization: str | None) -> dict:
    sent = dict(head)
    if authorization:
        sent["authorization"] = authorization
    raw, encoded = (body[1], True) if isinstance(body, tuple) else (body or "", False)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": sent,
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "fuzz"},
        "body": raw,
        "isBase64Encoded": encoded,
    }


@pytest.fixture
def call(handler, api, admin_token, add_crew, monkeypatch):
    """Send one generated request; check the answer is never a 5xx nor a traceback."""
    from reports.runtime import Reports

    started = []  # a run the fuzz starts is recorded, not processed in a background thread
    monkeypatch.setattr(Reports, "start_in_background", lambda reports, run_id: started.append(run_id))
    tokens = {
        "admin": f"Bearer {admin_token}",
        "crew": f"Bearer {add_crew}",
        "nobody": None,
        "junk": "Bearer x.y.z",
    }

    def send(method, path, query, head, body, person) -> dict:
        answer = handler(_event(method, path, query, head, body, tokens[person]), None)
        text = answer["body"] or ""
        assert answer["statusCode"] < 500, (method, path, query, head, body, person, text[:500])
        assert "Traceback" not in text
        if answer["statusCode"] >= 400:
            assert set(json.loads(text)) == {"error"}, text[:300]
        return answer

    return send


@pytest.fixture
def add_crew(api, admin_token) -> str:
    status, _, _ = api.call(
        "POST", "/api/users", {"email": "crew@example.com", "role": "crew"}, token=admin_token
    )
    assert status == 201
    return api.sign_in("crew@example.com")


def _filled(pattern: str, values: list[str]) -> str:
    parts = pattern.strip("/").split("/")
    filled = [values.pop() if part.startswith("{") and values else part for part in parts]
    return "/" + "/".join(filled)


@SETTINGS
@given(
    route=st.sampled_from(ROUTES.routes),
    values=st.lists(segments, min_size=2, max_size=2),
    query=queries,
    head=headers,
    body=bodies,
    person=who,
)
def test_every_route_answers_generated_requests_without_a_5xx(call, route, values, query, head, body, person):
    call(route.method, _filled(route.pattern, values), query, head, body, person)


@SETTINGS
@given(
    method=st.sampled_from(
        ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "get", "BREW"]
    ),
    path=st.one_of(
        st.lists(segments, max_size=5).map(lambda parts: "/api/" + "/".join(parts)),
        st.text(max_size=60),
        st.sampled_from(["/", "//api//events", "/prod/api/events", "/api", "/api/", "/api/events/"]),
    ),
    query=queries,
    head=headers,
    body=bodies,
    person=who,
)
def test_any_method_and_path_answers_without_a_5xx(call, method, path, query, head, body, person):
    call(method, path or "/", query, head, body, person)


def _concrete(pattern: str, ids: dict) -> str:
    return (
        pattern.replace("{email}", "crew@example.com")
        .replace("{event_id}", ids["event"])
        .replace("{task_id}", ids["task"])
        .replace("{report_id}", "cfo")
    )


def test_every_body_route_with_text_is_in_the_header_fuzz():
    body_routes = {(r.method, r.pattern) for r in ROUTES.routes if r.method in {"POST", "PUT", "PATCH"}}
    without_text = {
        ("POST", "/api/auth/verify"),  # a token: compared as a hash, never shown or mailed
        ("POST", "/api/auth/sign-out"),
        ("PUT", "/api/events/{event_id}/checklist/{item_id}"),
        ("POST", "/api/report-runs/{run_id}/retry"),
    }
    assert body_routes - without_text == set(TEXT_FIELDS)


def test_header_breaking_payloads_in_every_text_field_are_refused_naming_it(
    app, api, admin_token, add_crew, call, monkeypatch
):
    # (the per-person card limit is not what this test is about)
    monkeypatch.setattr(app, "settings", app.settings.replace(tasks_max_per_user_per_hour=10_000))
    # GIVEN a charter and a card to change
    _, event, _ = api.call(
        "POST",
        "/api/events",
        {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14", "checklist": ["Fuel"]},
        token=admin_token,
    )
    _, task, _ = api.call("POST", "/api/tasks", {"title": "Call the marina"}, token=admin_token)
    ids = {"event": event["id"], "task": task["id"]}
    wrong = []
    for (method, pattern), (base, fields) in TEXT_FIELDS.items():
        for name in fields:
            for number, payload in enumerate(HEADER_PAYLOADS):
                value = [payload] if name in LIST_FIELDS else payload
                fresh = {"email": f"pat{number}.{name}@example.com"} if "email" in base else {}
                body = json.dumps({**base, **fresh, name: value})
                head = {"content-type": "application/json"}
                answer = call(method, _concrete(pattern, ids), "", head, body, "admin")
                status, data = answer["statusCode"], json.loads(answer["body"] or "null")
                if status == 400 and str(data["error"].get("field", "")).startswith(
                    "checklist" if name == "checklist" else name
                ):
                    continue
                controls = {ch for ch in payload if not ch.isprintable()}
                reaches_header = name in ADDRESS_FIELDS or (pattern, name) in HEADER_FIELDS
                plain = not controls or (name in MULTILINE_FIELDS and controls <= {"\n", "\t"})
                accepted = status in (200, 201) and name not in ADDRESS_FIELDS
                if accepted and plain and not (reaches_header and "=?" in payload):
                    continue  # plain text (commas, angle brackets) is fine outside addresses
                wrong.append((method, pattern, name, payload, status, data))
    assert [case[:5] for case in wrong] == []
    # AND nothing the fuzz did put a header into any email sent meanwhile (sign-in links)
    for message in api.emails():
        assert message["Reply-To"] is None and message["X-Injected"] is None
        assert "evil" not in str(message["To"])
