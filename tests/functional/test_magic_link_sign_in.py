"""Signing in by emailed magic link, end to end through the .eml outbox (SPEC 3 and 5, Auth)."""

import json

import pytest
from freezegun import freeze_time

from shipcaptaincrew.auth.links import digest

ADMIN = "admin@example.com"


def test_a_user_and_a_stranger_get_the_same_answer_but_only_the_user_gets_mail(api):
    # GIVEN the bootstrap admin (a user) and an address nobody added
    # WHEN each asks for a link
    user_answer = api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    stranger_answer = api.call("POST", "/api/auth/magic-link", {"email": "stranger@example.com"})
    # THEN both get 202 with the very same body
    assert user_answer[0] == stranger_answer[0] == 202
    assert user_answer[1] == stranger_answer[1]
    # AND exactly one email was written, to the user
    assert [message["To"] for message in api.emails()] == [ADMIN]


def test_the_link_is_built_from_app_base_url_not_the_host_header(api):
    # GIVEN a request claiming to come through evil.example.com
    api.call("POST", "/api/auth/magic-link", {"email": ADMIN}, headers={"host": "evil.example.com"})
    # THEN the emailed link points at APP_BASE_URL, in the text and in the HTML
    (message,) = api.emails()
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    token = api.link_token(ADMIN)
    assert f"https://app.example.com/#token={token}" in text
    assert f'href="https://app.example.com/#token={token}"' in html
    assert "evil.example.com" not in message.as_string()


def test_a_link_signs_in_once_and_a_reused_link_is_refused(api):
    # GIVEN an emailed link
    api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    link = api.link_token(ADMIN)
    # WHEN it is redeemed THEN it yields a session for the admin
    status, data, _ = api.call("POST", "/api/auth/verify", {"token": link})
    assert status == 200
    assert data["user"] == {"email": ADMIN, "role": "admin"}
    assert api.call("GET", "/api/me", token=data["token"])[1] == {"email": ADMIN, "role": "admin"}
    # WHEN the same link is used again THEN it is refused
    status, data, _ = api.call("POST", "/api/auth/verify", {"token": link})
    assert status == 401
    assert data["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("minutes_later", "status"), [(14, 200), (16, 401)])
def test_a_link_expires_after_15_minutes(api, minutes_later, status):
    with freeze_time("2026-03-01 12:00:00") as clock:
        # GIVEN a link sent at 12:00 (it expires at 12:15)
        api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
        link = api.link_token(ADMIN)
        # WHEN it is used 14 or 16 minutes later
        clock.move_to(f"2026-03-01 12:{minutes_later:02d}:00")
        answer = api.call("POST", "/api/auth/verify", {"token": link})
    # THEN 12:14 still signs in and 12:16 is refused
    assert answer[0] == status


@pytest.mark.parametrize("token", ["", "short", "x" * 129, 12345, None, ["a" * 40]])
def test_a_malformed_link_token_is_refused(api, token):
    status, data, _ = api.call("POST", "/api/auth/verify", {"token": token})
    assert status == 401
    assert set(data["error"]) >= {"code", "message"}


def test_only_a_hash_of_the_link_token_is_stored(api, app):
    # GIVEN a link was sent
    api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    link = api.link_token(ADMIN)
    # WHEN we read the whole auth table
    stored = app.clients.dynamodb.scan(TableName=app.settings.auth_table)["Items"]
    dumped = json.dumps(stored)
    # THEN the raw token appears nowhere, its SHA-256 is the key, and the rate counter hides the address
    assert link not in dumped
    assert {"S": f"link#{digest(link)}"} in [item["pk"] for item in stored]
    rate_keys = [item["pk"]["S"] for item in stored if item["pk"]["S"].startswith("rate#")]
    assert rate_keys and all(ADMIN not in key for key in rate_keys)


def test_the_sixth_request_within_ten_minutes_is_429_and_other_addresses_are_unaffected(api):
    # GIVEN the clock at 12:03, inside the 12:00-12:10 rate window
    with freeze_time("2026-03-01 12:03:00") as clock:
        # WHEN the same address asks five times THEN each is accepted
        for _ in range(5):
            assert api.call("POST", "/api/auth/magic-link", {"email": "guest@example.com"})[0] == 202
        # WHEN it asks a sixth time THEN 429, retry once the oldest of the five is ten minutes old
        # (a sliding window: 12:03 + 10 min = 12:13, 600 s from now)
        status, data, headers = api.call("POST", "/api/auth/magic-link", {"email": "guest@example.com"})
        assert status == 429
        assert data["error"]["code"] == "too_many_requests"
        assert headers["Retry-After"] == "600"
        # AND another address is not limited
        assert api.call("POST", "/api/auth/magic-link", {"email": "other@example.com"})[0] == 202
        # AND the first address is served again once ten minutes have passed since those five
        clock.move_to("2026-03-01 12:10:00")
        assert api.call("POST", "/api/auth/magic-link", {"email": "guest@example.com"})[0] == 429
        clock.move_to("2026-03-01 12:13:01")
        assert api.call("POST", "/api/auth/magic-link", {"email": "guest@example.com"})[0] == 202


def test_the_address_is_normalised_before_it_is_rate_limited(api):
    with freeze_time("2026-03-01 12:03:00"):
        for variant in [
            "Guest@example.com",
            "GUEST@example.com",
            "guest@EXAMPLE.com",
            "guest@example.com",
            "gUest@example.com",
        ]:
            assert api.call("POST", "/api/auth/magic-link", {"email": variant})[0] == 202
        assert api.call("POST", "/api/auth/magic-link", {"email": "GuEsT@Example.Com"})[0] == 429


def test_admin_emails_bootstrap_an_admin_on_first_request(api, app):
    # GIVEN ADMIN_EMAILS=admin@example.com and an empty users table
    assert app.users.get(ADMIN) is None
    # WHEN that address and an unlisted one ask for links
    api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    api.call("POST", "/api/auth/magic-link", {"email": "nobody@example.com"})
    # THEN only the listed address became a user, as an admin
    assert app.users.get(ADMIN)["role"] == "admin"
    assert app.users.get("nobody@example.com") is None
    assert app.live_counts().users_by_role == {"admin": 1}


def test_sign_in_emails_are_multipart_with_text_and_html(api):
    api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    (message,) = api.emails()
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["From"] == "reports@example.com"
    assert message["X-Envelope-To"] == ADMIN


def test_a_failed_send_still_answers_the_same_202(api, app, monkeypatch):
    # GIVEN SES refusing every message
    def refuse(message, **kwargs):
        raise RuntimeError("SES is down")

    monkeypatch.setattr(app.outbox, "send", refuse)
    # WHEN a user asks for a link THEN the answer does not reveal that a send to a user was attempted
    stranger = api.call("POST", "/api/auth/magic-link", {"email": "stranger@example.com"})
    user = api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
    assert user[:2] == stranger[:2]
    assert user[0] == 202


def test_a_link_for_a_person_removed_since_it_was_sent_is_refused(api, admin_token, add_user, app):
    # GIVEN a crew member's unused link
    add_user("deckhand@example.com", "crew")
    api.call("POST", "/api/auth/magic-link", {"email": "deckhand@example.com"})
    link = api.link_token("deckhand@example.com")
    # WHEN the admin removes them before they click THEN the link is refused
    assert api.call("DELETE", "/api/users/deckhand@example.com", token=admin_token)[0] == 204
    assert api.call("POST", "/api/auth/verify", {"token": link})[0] == 401
