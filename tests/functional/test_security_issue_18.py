"""Issue 18, from an outside probe: revocable sessions, bounded sign-in mail, headers nobody can
smuggle into, admins nobody can lose, a task board nobody can flood, capped report runs
(SPEC 3, HTTP API and the paragraph on free text and mail headers; SPEC 5, Auth)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy

import pytest
from freezegun import freeze_time

from shipcaptaincrew.users.store import LastAdmin

ADMIN = "admin@example.com"  # in ADMIN_EMAILS (tests/conftest.py)
ENCODED_REPLY_TO = "X =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?="
ENCODED_BCC_RECIPIENT = "=?utf-8?q?x=0d=0aBcc=3a_evil=40evil.example?=:x@example.com"


def sign_in_event(body, *, source_ip: str | None = None, content_type: str = "application/json") -> dict:
    """A payload 2.0 event for POST /api/auth/magic-link, with API Gateway's source IP."""
    context = {"http": {"method": "POST", "path": "/api/auth/magic-link"}, "requestId": str(uuid.uuid4())}
    if source_ip:
        context["http"]["sourceIp"] = source_ip
    return {
        "version": "2.0",
        "rawPath": "/api/auth/magic-link",
        "rawQueryString": "",
        "headers": {"content-type": content_type},
        "requestContext": context,
        "body": body if isinstance(body, str) else json.dumps(body),
        "isBase64Encoded": False,
    }


def sign_in_emails(api, address: str) -> int:
    return sum(1 for message in api.emails() if message["To"] == address)


# --- 1. Revocable sessions ---------------------------------------------------------------------


def test_sign_out_revokes_every_session_issued_before_it_and_a_new_one_works(api, add_user):
    # GIVEN a captain signed in on two devices
    laptop = add_user("cap@example.com", "captain")
    phone = api.sign_in("cap@example.com")
    assert api.call("GET", "/api/me", token=laptop)[0] == 200
    # WHEN they sign out on the laptop
    status, body, _ = api.call("POST", "/api/auth/sign-out", token=laptop)
    # THEN 204, and neither session works any more
    assert (status, body) == (204, None)
    assert api.call("GET", "/api/me", token=laptop)[0] == 401
    assert api.call("GET", "/api/me", token=phone)[0] == 401
    # AND signing in again (even in the same second) gives a working session
    fresh = api.sign_in("cap@example.com")
    assert api.call("GET", "/api/me", token=fresh)[0] == 200
    # AND sign-out needs a session
    assert api.call("POST", "/api/auth/sign-out")[0] == 401


def test_deleting_a_user_and_adding_them_back_does_not_revive_old_sessions(api, admin_token, add_user):
    with freeze_time(datetime.now(UTC)) as clock:
        old = add_user("crew@example.com", "crew")
        clock.tick(5)
        assert api.call("DELETE", "/api/users/crew@example.com", token=admin_token)[0] == 204
        clock.tick(5)
        status, _, _ = api.call(
            "POST", "/api/users", {"email": "crew@example.com", "role": "crew"}, token=admin_token
        )
        assert status == 201
        assert api.call("GET", "/api/me", token=old)[0] == 401


def test_changing_a_role_revokes_the_sessions_issued_before(api, admin_token, add_user):
    crew = add_user("crew@example.com", "crew")
    status, _, _ = api.call("PATCH", "/api/users/crew@example.com", {"role": "captain"}, token=admin_token)
    assert status == 200
    assert api.call("GET", "/api/me", token=crew)[0] == 401
    # AND a name change alone does not sign anyone out
    captain = api.sign_in("crew@example.com")
    api.call("PATCH", "/api/users/crew@example.com", {"name": "Pat"}, token=admin_token)
    assert api.call("GET", "/api/me", token=captain)[0] == 200


# --- 2. Sign-in mail budgets -------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2026-03-01 12:09:31", "2026-03-01 12:05:00", "2026-03-01 12:09:59"])
def test_a_burst_of_30_for_one_address_sends_at_most_5_emails_whatever_the_window_boundaries(api, start):
    # GIVEN a burst of 30 requests, one a second, straddling a 10-minute clock boundary
    with freeze_time(start) as clock:
        answers = []
        for _ in range(30):
            answers.append(api.call("POST", "/api/auth/magic-link", {"email": ADMIN})[0])
            clock.tick(1)
    # THEN at most five links were emailed, and the rest were 429
    assert sign_in_emails(api, ADMIN) == 5
    assert answers.count(202) == 5 and answers.count(429) == 25


def test_users_and_non_users_are_limited_alike_with_retry_after(api, app):
    with freeze_time("2026-03-01 12:00:00"):
        for address in (ADMIN, "nobody@example.com"):
            for _ in range(5):
                assert api.call("POST", "/api/auth/magic-link", {"email": address})[0] == 202
        user = api.call("POST", "/api/auth/magic-link", {"email": ADMIN})
        stranger = api.call("POST", "/api/auth/magic-link", {"email": "nobody@example.com"})
    assert user[0] == stranger[0] == 429
    assert user[1] == stranger[1]
    assert user[2]["Retry-After"] == stranger[2]["Retry-After"] == "600"
    # AND the unknown address is counted by a hash with a TTL, never stored as a person
    assert app.users.get("nobody@example.com") is None
    stored = app.clients.dynamodb.scan(TableName=app.settings.auth_table)["Items"]
    assert "nobody@example.com" not in json.dumps(stored)
    counters = [item for item in stored if item["pk"]["S"].startswith("rate#")]
    assert len(counters) == 2 and all("expires_at" in item for item in counters)


def test_a_source_ip_has_its_own_budget(app, handler, monkeypatch):
    monkeypatch.setattr(app, "settings", app.settings.replace(magic_link_per_source_per_hour=3))
    with freeze_time("2026-03-01 12:00:00"):
        statuses = [
            handler(sign_in_event({"email": f"guest{n}@example.com"}, source_ip="203.0.113.9"), None)[
                "statusCode"
            ]
            for n in range(5)
        ]
        other = handler(sign_in_event({"email": "guest9@example.com"}, source_ip="198.51.100.7"), None)
        again = handler(sign_in_event({"email": "x@example.com"}, source_ip="203.0.113.9"), None)
    assert statuses == [202, 202, 202, 429, 429]
    assert other["statusCode"] == 202
    assert (again["statusCode"], again["headers"]["Retry-After"]) == (429, "3600")


def test_there_is_a_global_hourly_budget(app, handler, monkeypatch):
    monkeypatch.setattr(app, "settings", app.settings.replace(magic_link_global_per_hour=4))
    with freeze_time("2026-03-01 12:30:00"):
        statuses = [
            handler(sign_in_event({"email": f"g{n}@example.com"}, source_ip=f"198.51.100.{n}"), None)
            for n in range(6)
        ]
    assert [answer["statusCode"] for answer in statuses] == [202, 202, 202, 202, 429, 429]
    assert statuses[-1]["headers"]["Retry-After"] == "1800"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_sign_in_routes_take_json_bodies_only(api, content_type):
    for path, body in (("/api/auth/magic-link", {"email": ADMIN}), ("/api/auth/verify", {"token": "t" * 43})):
        status, data, _ = api.call("POST", path, body, headers={"content-type": content_type})
        assert (path, status, data["error"]["code"]) == (path, 415, "unsupported_media_type")
    assert api.emails() == []


# --- 3 and 4. Headers and free text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/events", {"title": ENCODED_REPLY_TO}, "title"),
        ("/api/events", {"title": "Sail\r\nBcc: evil@evil.example"}, "title"),
        ("/api/events", {"title": "Sail\u2028Bcc: evil@evil.example"}, "title"),
        ("/api/events", {"title": "Sail\x85more"}, "title"),
        ("/api/events", {"title": "Sail\x00"}, "title"),
        ("/api/events", {"contact_email": ENCODED_BCC_RECIPIENT}, "contact_email"),
        ("/api/events", {"contact_email": "a:b@example.com"}, "contact_email"),
        ("/api/events", {"notes": "line one\u2029line two"}, "notes"),
        ("/api/events", {"checklist": ["Fuel\rBcc: x"]}, "checklist item 1 text"),
        ("/api/users", {"email": "pat@example.com", "name": "=?utf-8?b?UGF0?="}, "name"),
        ("/api/users", {"email": "pat@example.com", "name": "Pat\nReply-To: x@evil.example"}, "name"),
        ("/api/users", {"email": "Pat <pat@example.com>"}, "email"),
        ("/api/tasks", {"title": "Call\x1bthe marina"}, "title"),
        ("/api/tasks", {"title": "Call", "persona": "c\u2028eo"}, "persona"),
    ],
)
def test_control_characters_and_encoded_words_are_400_naming_the_field(api, admin_token, path, body, field):
    base = {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14"} if path == "/api/events" else {}
    status, data, _ = api.call("POST", path, {**base, **body}, token=admin_token)
    assert (status, data["error"].get("field")) == (400, field), data


def test_notes_may_keep_line_breaks(api, admin_token):
    body = {"title": "Sunset sail", "entity": "jada", "date": "2031-06-14", "notes": "Cake\n\tCandles"}
    assert api.call("POST", "/api/events", body, token=admin_token)[0] == 201


@pytest.mark.parametrize(
    "address",
    [
        ENCODED_BCC_RECIPIENT,
        "a:b@example.com",
        "Pat <pat@example.com>",
        "pat@example.com (Pat)",
        "undisclosed:;",
        "team: a@example.com;",
        '"a@b"@example.com',
        "=?utf-8?q?pat?=@example.com",
    ],
)
def test_recipients_are_a_strict_local_at_domain(api, admin_token, address):
    for field in ("to", "bcc"):
        body = {"to": ["cfo@example.com"], "bcc": [], field: [address]}
        status, data, _ = api.call("PUT", "/api/recipients/cfo", body, token=admin_token)
        assert (status, data["error"]["field"]) == (400, field), data


def test_a_charter_stored_with_a_bad_title_is_skipped_and_the_rest_are_sent(
    app, api, handler, sample_event, caplog
):
    with freeze_time("2026-03-01 17:00:00") as clock:
        body = {"title": "Sunset sail", "entity": "jada", "date": "2026-03-20", "status": "hold"}
        bad = app.events.create({**body, "contact_email": "bad@example.com"}, actor=ADMIN, now=app.now())
        good = app.events.create({**body, "contact_email": "good@example.com"}, actor=ADMIN, now=app.now())
        # GIVEN one charter's title was stored with a line break and an encoded word (by hand,
        # or before this validation existed)
        app.clients.dynamodb.update_item(
            TableName=app.settings.events_table,
            Key={"id": {"S": bad["id"]}},
            UpdateExpression="SET title = :t",
            ExpressionAttributeValues={":t": {"S": "Sail\r\nBcc: evil@evil.example " + ENCODED_REPLY_TO}},
        )
        clock.move_to("2026-03-05 17:00:00")
        result = handler(sample_event("scheduler_push_to_book.json"), None)
    # THEN the good one is sent, the bad one skipped with an ERROR log, and the run is not partial
    assert result["status"] == "succeeded", result
    assert result["sent"] == [good["id"]] and result["invalid"] == [bad["id"]]
    assert [message["To"] for message in api.emails()] == ["good@example.com"]
    assert any(r.levelname == "ERROR" and "push-to-book skipped" in r.getMessage() for r in caplog.records)


def test_the_envelope_is_the_built_list_never_a_reparsed_header():
    from shipcaptaincrew.mail import message
    from shipcaptaincrew.mail.outbox import Outbox

    class Ses:
        def send_email(self, **request):
            self.request = request
            return {"MessageId": "m-1"}

    built = message.build(
        sender="Ship Captain Crew <reports@example.com>",
        to=["cfo@example.com"],
        subject=ENCODED_REPLY_TO + "\r\nBcc: evil@evil.example",
        text="t",
        html="<p>t</p>",
    )
    # WHEN someone rewrites the To header after the message was built
    built.replace_header("To", "cfo@example.com, evil@evil.example")
    ses = Ses()
    Outbox(ses).send(built, bcc=["archive@example.com"])
    # THEN SES is told only the list the message was built for
    assert ses.request["Destination"] == {
        "ToAddresses": ["cfo@example.com"],
        "BccAddresses": ["archive@example.com"],
    }
    # AND the subject carries neither an encoded word nor a header break
    parsed = message_from_bytes(ses.request["Content"]["Raw"]["Data"], policy=email_policy.default)
    assert parsed["Reply-To"] is None and parsed["Bcc"] is None
    assert "=?" not in str(parsed["Subject"]) and "\n" not in str(parsed["Subject"])
    # AND an address that is not local@domain is refused before anything is sent
    with pytest.raises(ValueError):
        message.build(sender="reports@example.com", to=["a:b@example.com"], subject="s", text="t", html="h")


# --- 5. Admins nobody can lose -----------------------------------------------------------------


def test_the_last_admin_cannot_be_demoted_or_deleted(app, api, admin_token):
    with pytest.raises(LastAdmin):
        app.users.update(ADMIN, {"role": "crew"})
    with pytest.raises(LastAdmin):
        app.users.delete(ADMIN)
    assert app.users.get(ADMIN)["role"] == "admin"


def both_at_once(calls) -> list:
    """Run the calls at the same moment in threads; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def session(app, email: str) -> str:
    """A session token for `email` as sign-in would issue it (no mail: the sign-in budget stays)."""
    user = app.users.get(email)
    return app.sessions.issue(
        email, user["role"], now=app.now(), not_before=user.get("sessions_valid_after", 0)
    )


@pytest.mark.parametrize("how", ["demote", "delete"])
def test_two_admins_removing_each_other_at_once_leave_one_admin(app, api, how):
    # Ten times: two admins each remove the other at the same moment, through the API
    for attempt in range(10):
        app.users.ensure(ADMIN, "admin", now=app.now())
        if app.users.get(ADMIN)["role"] != "admin":
            app.users.promote(ADMIN, now=app.now())
        other = f"second{attempt}@example.com"
        app.users.create({"email": other, "role": "admin"}, now=app.now())
        mine, theirs = session(app, ADMIN), session(app, other)

        def act(token, target):
            if how == "demote":
                return lambda: api.call("PATCH", f"/api/users/{target}", {"role": "crew"}, token=token)
            return lambda: api.call("DELETE", f"/api/users/{target}", token=token)

        results = both_at_once([act(mine, other), act(theirs, ADMIN)])
        # THEN exactly one admin is left, one request won and the other was refused
        admins = [user["email"] for user in app.users.list() if user["role"] == "admin"]
        assert len(admins) == 1, (attempt, results)
        statuses = sorted(status for status, _, _ in results)
        # the loser is refused: 409 last_admin, or, when the other request landed first, 401 for
        # its revoked session or 403 for its lost role (a demotion in the same second as the
        # session's issue leaves the token valid but no longer an admin's)
        assert statuses[0] in (200, 204) and statuses[1] in (401, 403, 409), results
        for status, data, _ in results:
            if status == 409:
                assert data["error"]["code"] == "last_admin"
        # (back to one bootstrap admin for the next attempt)
        if admins != [ADMIN]:
            app.users.promote(ADMIN, now=app.now()) if app.users.get(ADMIN) else None
            app.users.ensure(ADMIN, "admin", now=app.now())
            app.users.delete(admins[0])
        elif app.users.get(other):
            app.users.delete(other)


def test_an_admin_email_demoted_is_admin_again_at_sign_in(app, api, add_user):
    second = add_user("second@example.com", "admin")
    api.sign_in(ADMIN)
    status, _, _ = api.call("PATCH", f"/api/users/{ADMIN}", {"role": "crew"}, token=second)
    assert status == 200 and app.users.get(ADMIN)["role"] == "crew"
    token = api.sign_in(ADMIN)
    assert api.call("GET", "/api/me", token=token)[1]["role"] == "admin"
    assert app.users.get(ADMIN)["role"] == "admin"


# --- 6. The task board -------------------------------------------------------------------------


def test_a_person_can_add_only_so_many_cards_an_hour(app, api, admin_token, monkeypatch):
    monkeypatch.setattr(app, "settings", app.settings.replace(tasks_max_per_user_per_hour=3))
    with freeze_time(datetime.now(UTC).replace(minute=10, second=0)) as clock:
        app.users.create({"email": "crew@example.com", "role": "crew"}, now=app.now())
        crew = session(app, "crew@example.com")
        statuses = [api.call("POST", "/api/tasks", {"title": f"Card {n}"}, token=crew)[0] for n in range(4)]
        status, data, headers = api.call("POST", "/api/tasks", {"title": "More"}, token=crew)
        assert statuses == [201, 201, 201, 429]
        assert (status, data["error"]["code"], headers["Retry-After"]) == (429, "too_many_requests", "3000")
        clock.tick(3001)
        assert api.call("POST", "/api/tasks", {"title": "Next hour"}, token=crew)[0] == 201


def test_admins_archive_cards_which_leave_the_board_but_are_kept(app, api, admin_token, add_user):
    crew = add_user("crew@example.com", "crew")
    _, card, _ = api.call("POST", "/api/tasks", {"title": "Call the marina"}, token=crew)
    assert api.call("DELETE", f"/api/tasks/{card['id']}", token=crew)[0] == 403
    assert api.call("DELETE", f"/api/tasks/{card['id']}", token=admin_token)[0] == 204
    assert api.call("GET", "/api/tasks", token=crew)[1] == {"tasks": [], "next_cursor": None}
    assert api.call("DELETE", f"/api/tasks/{card['id']}", token=admin_token)[0] == 404
    assert api.call("PATCH", f"/api/tasks/{card['id']}", {"column": "doing"}, token=crew)[0] == 404
    stored = app.clients.dynamodb.get_item(TableName="scc-tasks", Key={"id": {"S": card["id"]}})["Item"]
    assert stored["title"]["S"] == "Call the marina" and stored["archived_by"]["S"] == ADMIN


def test_the_board_is_listed_a_page_at_a_time(api, admin_token):
    made = {
        api.call("POST", "/api/tasks", {"title": f"Card {n}"}, token=admin_token)[1]["id"] for n in range(7)
    }
    seen, cursor, pages = [], None, 0
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        status, page, _ = api.call("GET", f"/api/tasks?{query}", token=admin_token)
        assert status == 200 and len(page["tasks"]) <= 3
        seen.extend(card["id"] for card in page["tasks"])
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made) and pages >= 3
    for bad in ("limit=0", "limit=201", "limit=x", "cursor=%00%01", "cursor=bm90LWEtdGFzaw"):
        status, data, _ = api.call("GET", f"/api/tasks?{bad}", token=admin_token)
        assert status == 400 and data["error"]["field"] in {"limit", "cursor"}, (bad, data)


# --- 7. Report runs per admin ------------------------------------------------------------------


def test_report_runs_per_admin_are_capped_per_hour(app, api, admin_token, monkeypatch):
    monkeypatch.setattr(app, "settings", app.settings.replace(reports_max_runs_per_hour=2))
    with freeze_time(datetime.now(UTC)):
        app.users.create({"email": "second@example.com", "role": "admin"}, now=app.now())
        admin_token, other = session(app, ADMIN), session(app, "second@example.com")
        statuses = [
            api.call(
                "POST", "/api/generate-reports", {"reports": ["cmo"], "dry_run": True}, token=admin_token
            )[0]
            for _ in range(3)
        ]
        status, data, headers = api.call(
            "POST", "/api/generate-reports", {"reports": ["cmo"], "dry_run": True}, token=admin_token
        )
        assert statuses == [202, 202, 429]
        assert (status, data["error"]["code"]) == (429, "too_many_requests")
        assert 1 <= int(headers["Retry-After"]) <= 3600
        # AND another admin has a budget of their own, and a repeat of one request (same
        # Idempotency-Key, a double click) is counted once
        again = {"Idempotency-Key": "double-click-1"}
        body = {"reports": ["cmo"], "dry_run": True}
        assert api.call("POST", "/api/generate-reports", body, token=other, headers=again)[0] == 202
        assert api.call("POST", "/api/generate-reports", body, token=other, headers=again)[0] == 202
        assert api.call("POST", "/api/generate-reports", body, token=other, headers=again)[0] == 202
        assert (
            api.call("POST", "/api/generate-reports", {"reports": ["cmo"], "dry_run": True}, token=other)[0]
            == 202
        )
