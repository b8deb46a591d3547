"""Who may do what: admins write, captains and crew read and tick, nobody acts without a token."""

import pytest
from composition import ROUTES

ADMIN = "admin@example.com"
# A valid body for each route that takes one, so a refusal can only come from the role check.
VALID_BODIES = {
    ("POST", "/api/events"): {"title": "Whale watch", "entity": "jada", "date": "2031-07-01"},
    ("PATCH", "/api/events/{event_id}"): {"title": "Renamed by crew"},
    ("POST", "/api/users"): {"email": "stowaway@example.com", "role": "admin"},
    ("PATCH", "/api/users/{email}"): {"role": "admin"},
}


def admin_routes():
    return [route for route in ROUTES.routes if route.role == "admin"]


def signed_in_routes():
    return [route for route in ROUTES.routes if route.role is not None]


def concrete(pattern: str, charter: dict, email: str) -> str:
    return (
        pattern.replace("{event_id}", charter["id"])
        .replace("{item_id}", charter["checklist"][0]["id"])
        .replace("{email}", email)
    )


def test_the_route_table_has_admin_routes_for_charters_and_users():
    # Guards the loops below against silently testing nothing.
    patterns = {(route.method, route.pattern) for route in admin_routes()}
    assert {("POST", "/api/events"), ("DELETE", "/api/events/{event_id}"), ("GET", "/api/users")} <= patterns


@pytest.mark.parametrize("role", ["crew", "captain"])
def test_crew_and_captains_are_forbidden_every_admin_route(
    api, admin_token, add_user, add_charter, app, role
):
    # GIVEN a charter and a crew member or captain the admin added
    charter = add_charter(checklist=["Fuel"])
    token = add_user(f"{role}@example.com", role)
    # WHEN they try each admin route
    for route in admin_routes():
        path = concrete(route.pattern, charter, f"{role}@example.com")
        body = VALID_BODIES.get((route.method, route.pattern))
        status, data, _ = api.call(route.method, path, body, token=token)
        # THEN each is 403 with the error shape
        assert (route.method, route.pattern, status) == (route.method, route.pattern, 403)
        assert data["error"]["code"] == "forbidden"
    # AND nothing changed: the charter, its title and the people are as before
    assert app.events.get(charter["id"])["title"] == "Sunset sail"
    assert app.users.get("stowaway@example.com") is None
    assert app.users.get(f"{role}@example.com")["role"] == role


@pytest.mark.parametrize("role", ["crew", "captain"])
def test_crew_and_captains_may_read_charters_and_tick_items(api, add_user, add_charter, role):
    charter = add_charter(checklist=["Fuel", "Ice"])
    token = add_user(f"{role}@example.com", role)
    item = charter["checklist"][1]["id"]
    assert api.call("GET", "/api/events", token=token)[1]["events"][0]["id"] == charter["id"]
    assert api.call("GET", f"/api/events/{charter['id']}", token=token)[0] == 200
    status, ticked, _ = api.call(
        "PUT", f"/api/events/{charter['id']}/checklist/{item}", {"done": True}, token=token
    )
    assert status == 200
    assert [entry["done"] for entry in ticked["checklist"]] == [False, True]
    assert api.call("GET", "/api/me", token=token)[1] == {"email": f"{role}@example.com", "role": role}


def test_every_signed_in_route_is_401_without_a_token(api, admin_token, add_charter):
    charter = add_charter(checklist=["Fuel"])
    routes = signed_in_routes()
    assert len(routes) >= 10  # me, users x4, events x6 today
    for route in routes:
        path = concrete(route.pattern, charter, ADMIN)
        status, data, _ = api.call(route.method, path, VALID_BODIES.get((route.method, route.pattern)))
        assert (route.method, route.pattern, status) == (route.method, route.pattern, 401)
        assert data["error"]["code"] == "unauthorized"


def test_a_demoted_admin_loses_admin_routes_at_once(api, admin_token, add_user):
    # GIVEN a second admin, signed in
    second = add_user("mate@example.com", "admin")
    assert api.call("GET", "/api/users", token=second)[0] == 200
    # WHEN the first admin makes them crew
    assert api.call("PATCH", "/api/users/mate@example.com", {"role": "crew"}, token=admin_token)[0] == 200
    # THEN their existing token is refused (a role change revokes the sessions issued before it)
    assert api.call("GET", "/api/users", token=second)[0] == 401
    # AND once they sign in again, as crew, admin routes are forbidden
    assert api.call("GET", "/api/users", token=api.sign_in("mate@example.com"))[0] == 403


def test_an_admin_cannot_remove_their_own_admin_role_or_themselves(api, admin_token):
    assert api.call("PATCH", f"/api/users/{ADMIN}", {"role": "crew"}, token=admin_token)[0] == 409
    assert api.call("DELETE", f"/api/users/{ADMIN}", token=admin_token)[0] == 409
    assert api.call("GET", "/api/me", token=admin_token)[1]["role"] == "admin"


def test_admins_manage_people(api, admin_token):
    status, created, _ = api.call(
        "POST",
        "/api/users",
        {"email": "Skipper@Example.com", "role": "captain", "name": "Sam"},
        token=admin_token,
    )
    assert (status, created) == (201, {"email": "skipper@example.com", "role": "captain", "name": "Sam"})
    assert api.call("POST", "/api/users", {"email": "skipper@example.com"}, token=admin_token)[0] == 409
    listed = api.call("GET", "/api/users", token=admin_token)[1]
    assert [person["email"] for person in listed] == [ADMIN, "skipper@example.com"]
    assert api.call("DELETE", "/api/users/skipper@example.com", token=admin_token)[0] == 204
    assert api.call("DELETE", "/api/users/skipper@example.com", token=admin_token)[0] == 404
