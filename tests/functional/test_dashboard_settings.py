"""GET /api/settings: what the dashboard's forms offer comes from the server's own settings."""

from reports import schedule
from shipcaptaincrew.events.model import STATUSES

LA = "America/Los_Angeles"


def test_any_signed_in_person_gets_the_zone_entities_and_allowed_values(api, add_user, app):
    # GIVEN a crew member, WHEN they ask for the dashboard's settings
    token = add_user("deckhand@example.com", "crew")
    status, data, _ = api.call("GET", "/api/settings", token=token)
    # THEN they get the configured zone and entities, and the values the API accepts
    assert status == 200
    assert data["timezone"] == app.settings.business_timezone
    assert data["entities"] == list(app.settings.entity_ids)
    assert data["statuses"] == list(STATUSES)
    assert data["roles"] == ["admin", "captain", "crew"]


def test_settings_need_a_session(api):
    status, data, _ = api.call("GET", "/api/settings")
    assert status == 401
    assert data["error"]["code"] == "unauthorized"


def test_the_report_schedule_comes_from_the_settings_and_is_for_admins_only(api, admin_token, add_user, app):
    status, data, _ = api.call("GET", "/api/reports/schedule", token=admin_token)
    assert status == 200
    assert data["cadence"] == "weekly" and data["zone"] == LA
    assert data["expression"] == "cron(0 6 ? * MON *)"
    assert data["next_send"] == schedule.next_send("weekly", LA, app.now()).isoformat()
    crew = add_user("deckhand@example.com", "crew")
    assert api.call("GET", "/api/reports/schedule", token=crew)[0] == 403
