"""Charters through the API: create, read, change, delete, list by status and page by cursor."""

import base64
import json

import pytest


@pytest.fixture
def dynamodb_calls(app):
    """Record (operation, IndexName) of every DynamoDB call the app makes while the test runs."""
    calls = []

    def record(params, model, **_):
        calls.append((model.name, params.get("IndexName")))

    events = app.clients.dynamodb.meta.events
    events.register("provide-client-params.dynamodb", record, unique_id="test-recorder")
    yield calls
    events.unregister("provide-client-params.dynamodb", unique_id="test-recorder")


def test_creating_a_charter_answers_201_with_the_stored_charter(api, admin_token):
    # GIVEN checklist items given only as text
    body = {
        "title": "Sunset sail",
        "entity": "jada",
        "date": "2031-06-14",
        "start_time": "18:00",
        "end_time": "20:30",
        "status": "hold",
        "contact_email": "Guest@Example.com",
        "guests": 6,
        "price": 1250.5,
        "deposit": 300,
        "checklist": [{"text": "Fuel"}, "Ice"],
    }
    status, created, _ = api.call("POST", "/api/events", body, token=admin_token)
    # THEN 201, ids assigned to each item, the address normalised, money kept to the cent
    assert status == 201
    assert [(item["text"], item["done"]) for item in created["checklist"]] == [
        ("Fuel", False),
        ("Ice", False),
    ]
    assert all(len(item["id"]) == 8 for item in created["checklist"])  # 4 random bytes as hex
    assert created["contact_email"] == "guest@example.com"
    assert (created["price"], created["deposit"], created["guests"]) == (1250.5, 300, 6)
    assert created["created_by"] == "admin@example.com"
    # AND reading it back gives the same charter
    assert api.call("GET", f"/api/events/{created['id']}", token=admin_token)[1] == created


def test_a_patch_changes_only_what_it_sends_and_null_clears(api, admin_token, add_charter):
    charter = add_charter(notes="Bring cake", guests=8, price=900)
    status, changed, _ = api.call(
        "PATCH", f"/api/events/{charter['id']}", {"status": "booked", "notes": None}, token=admin_token
    )
    assert status == 200
    assert changed["status"] == "booked"
    assert "notes" not in changed
    assert (changed["guests"], changed["price"], changed["title"]) == (8, 900, "Sunset sail")
    assert api.call("GET", f"/api/events/{charter['id']}", token=admin_token)[1] == changed


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"end_time": "09:59"}, "end_time"),  # the stored start is 10:00
        ({"start_time": "12:00"}, "end_time"),  # the stored end is 12:00: not after it
        ({"deposit": 1000.01}, "deposit"),  # the stored price is 1000
        ({"price": 299.99}, "deposit"),  # below the stored deposit of 300
        ({"date": "2026-02-30"}, "date"),
        ({"date": None}, "date"),
        ({"title": "   "}, "title"),
    ],
)
def test_a_patch_that_breaks_the_charter_is_400_naming_the_field(api, admin_token, add_charter, patch, field):
    charter = add_charter(start_time="10:00", end_time="12:00", price=1000, deposit=300)
    status, data, _ = api.call("PATCH", f"/api/events/{charter['id']}", patch, token=admin_token)
    assert status == 400
    assert data["error"]["field"] == field
    # AND the stored charter is unchanged
    assert api.call("GET", f"/api/events/{charter['id']}", token=admin_token)[1] == charter


def test_an_empty_patch_is_400(api, admin_token, add_charter):
    charter = add_charter()
    assert api.call("PATCH", f"/api/events/{charter['id']}", {}, token=admin_token)[0] == 400


def test_a_deleted_charter_is_gone(api, admin_token, add_charter):
    charter = add_charter()
    assert api.call("DELETE", f"/api/events/{charter['id']}", token=admin_token)[0] == 204
    assert api.call("GET", f"/api/events/{charter['id']}", token=admin_token)[0] == 404
    assert api.call("DELETE", f"/api/events/{charter['id']}", token=admin_token)[0] == 404
    assert api.call("PATCH", f"/api/events/{charter['id']}", {"title": "x"}, token=admin_token)[0] == 404


def test_listing_by_status_uses_the_status_index(api, admin_token, add_charter, dynamodb_calls):
    # GIVEN two holds and a booking
    holds = {add_charter(status="hold", date=day)["id"] for day in ("2031-06-02", "2031-06-01")}
    add_charter(status="booked")
    dynamodb_calls.clear()
    # WHEN listing ?status=hold
    status, data, _ = api.call("GET", "/api/events?status=hold", token=admin_token)
    # THEN only the holds come back, sorted by date, read with a Query on by_status (no Scan)
    assert status == 200
    assert {event["id"] for event in data["events"]} == holds
    assert [event["date"] for event in data["events"]] == ["2031-06-01", "2031-06-02"]
    listing = [call for call in dynamodb_calls if call[0] in {"Query", "Scan"}]
    assert listing == [("Query", "by_status")]


@pytest.mark.parametrize("query", ["", "status=inquiry&"])
def test_pages_follow_next_cursor_until_every_charter_is_seen_once(api, admin_token, add_charter, query):
    # GIVEN 5 charters WHEN paging 2 at a time THEN 3 pages (2 + 2 + 1) cover all 5 exactly once
    created = {add_charter(date=f"2031-06-0{day}")["id"] for day in range(1, 6)}
    seen, cursor, pages = [], None, 0
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        status, data, _ = api.call("GET", f"/api/events?{query}limit=2{suffix}", token=admin_token)
        assert status == 200
        assert len(data["events"]) <= 2
        seen.extend(event["id"] for event in data["events"])
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert sorted(seen) == sorted(created)
    assert pages >= 3


def encoded(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "make_cursor",
    [
        pytest.param(lambda real: "A" + real, id="shifted"),
        pytest.param(lambda real: real[: len(real) // 2], id="truncated"),
        pytest.param(lambda real: "not a cursor!", id="garbage"),
        pytest.param(lambda real: encoded([1, 2]), id="a-list"),
        pytest.param(lambda real: encoded({"id": {"N": "1"}}), id="wrong-type"),
        pytest.param(lambda real: encoded({"pk": {"S": "x"}}), id="other-key"),
        pytest.param(lambda real: encoded({"id": "plain"}), id="untyped"),
    ],
)
def test_a_tampered_cursor_is_400(api, admin_token, add_charter, make_cursor):
    for day in range(1, 4):
        add_charter(date=f"2031-06-0{day}")
    real = api.call("GET", "/api/events?limit=1", token=admin_token)[1]["next_cursor"]
    assert real
    status, data, _ = api.call("GET", f"/api/events?limit=1&cursor={make_cursor(real)}", token=admin_token)
    assert status == 400
    assert data["error"]["field"] == "cursor"


@pytest.mark.parametrize(
    ("issued_by", "used_on"),
    [
        ("", "status=hold&"),  # a plain listing's cursor on the status index (was a 500)
        ("status=hold&", ""),  # an index cursor on the plain listing
        ("status=hold&", "status=booked&"),  # one status's cursor on another status
    ],
)
def test_a_cursor_from_another_listing_is_400(api, admin_token, add_charter, issued_by, used_on):
    for day in range(1, 4):
        add_charter(status="hold", date=f"2031-06-0{day}")
    cursor = api.call("GET", f"/api/events?{issued_by}limit=1", token=admin_token)[1]["next_cursor"]
    assert cursor
    status, data, _ = api.call("GET", f"/api/events?{used_on}limit=1&cursor={cursor}", token=admin_token)
    assert (status, data["error"]["field"]) == (400, "cursor")


def test_ticking_an_item_marks_it_and_only_it(api, admin_token, add_charter):
    charter = add_charter(checklist=["Fuel", "Ice", "Cake"])
    ice = charter["checklist"][1]["id"]
    path = f"/api/events/{charter['id']}/checklist/{ice}"
    status, ticked, _ = api.call("PUT", path, {"done": True}, token=admin_token)
    assert status == 200
    assert [item["done"] for item in ticked["checklist"]] == [False, True, False]
    status, unticked, _ = api.call("PUT", path, {"done": False}, token=admin_token)
    assert [item["done"] for item in unticked["checklist"]] == [False, False, False]


@pytest.mark.parametrize(
    ("path_of", "body"),
    [
        (lambda charter: f"/api/events/{charter['id']}/checklist/nope", {"done": True}),
        (lambda charter: f"/api/events/nope/checklist/{charter['checklist'][0]['id']}", {"done": True}),
    ],
)
def test_ticking_an_unknown_item_or_charter_is_404(api, admin_token, add_charter, path_of, body):
    charter = add_charter(checklist=["Fuel"])
    status, data, _ = api.call("PUT", path_of(charter), body, token=admin_token)
    assert status == 404
    assert data["error"]["code"] == "not_found"


def test_a_tick_without_done_is_400(api, admin_token, add_charter):
    charter = add_charter(checklist=["Fuel"])
    path = f"/api/events/{charter['id']}/checklist/{charter['checklist'][0]['id']}"
    status, data, _ = api.call("PUT", path, {}, token=admin_token)
    assert (status, data["error"]["field"]) == (400, "done")


def test_an_unknown_route_is_404_and_a_wrong_method_405(api, admin_token):
    assert api.call("GET", "/api/boats", token=admin_token)[0] == 404
    status, data, _ = api.call("DELETE", "/api/events", token=admin_token)
    assert (status, data["error"]["code"]) == (405, "method_not_allowed")
