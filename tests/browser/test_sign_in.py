"""A new admin signs in the way a person does: the form, the emailed link, the session's end."""

from __future__ import annotations

import base64
import json
import time

import pytest

pytestmark = pytest.mark.browser
# The sample charters (shipcaptaincrew/local/seed.py) are dated relative to today: 5 lie ahead
# (in 3, 6, 12, 19 and 27 days) and 3 behind (21, 9 and 2 days ago).
UPCOMING, PAST = 5, 3


def test_admin_signs_in_with_the_emailed_link_and_sees_the_sample_charters(server, page, shoot):
    # GIVEN the local server with its sample data, WHEN an admin asks for a link in the form
    page.goto(server.url)
    shoot(page, "sign-in")
    page.get_by_label("Email address").fill("admin@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_text("Check your inbox").wait_for()

    # AND opens the link from the email that landed in the outbox
    link = server.newest_link("admin@example.com")
    assert link.startswith(server.url + "/#token=")
    page.goto(link)

    # THEN they are signed in, the token has left the address bar, and the upcoming charters show
    page.get_by_role("heading", name="Charters").wait_for()
    assert "token" not in page.url
    assert page.locator("#who-email").text_content() == "admin@example.com"
    rows = page.locator("table.charters tbody tr")
    rows.nth(UPCOMING - 1).wait_for()
    assert rows.count() == UPCOMING
    page.get_by_text(f"{UPCOMING} upcoming charters").wait_for()
    # AND the past ones are one click away
    page.get_by_role("button", name="Past").click()
    page.get_by_text(f"{PAST} past charters").wait_for()
    assert rows.count() == PAST

    # AND the session survives a reload, and signing out returns to the form
    page.reload()
    page.get_by_role("heading", name="Charters").wait_for()
    token = page.evaluate("JSON.parse(localStorage.getItem('scc.session')).token")
    assert server.call("GET", "/api/me", token=token)[0] == 200
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_text("You are signed out.").wait_for()
    # AND the server revoked the session: a copy of the token no longer works
    assert server.call("GET", "/api/me", token=token)[0] == 401


def test_printed_link_signs_in_once_and_a_reused_link_is_refused(server, page):
    # GIVEN the link `serve` printed on the console, WHEN it is opened
    page.goto(server.printed_link)
    # THEN it signs in
    page.get_by_role("heading", name="Charters").wait_for()
    page.get_by_role("button", name="Sign out").click()
    # (the sign-out is finished, not still waiting on its request, before the link is reused)
    page.get_by_text("You are signed out.").wait_for()
    # AND opening it a second time is refused with a clear message (the 401 is expected)
    page.expected_errors.append("status of 401")
    page.goto(server.printed_link)
    page.get_by_text("That sign-in link did not work").wait_for()
    page.get_by_role("button", name="Email me a sign-in link").wait_for()


def test_an_expired_session_returns_to_sign_in_with_a_clear_message(server, page, sign_in):
    # GIVEN a signed-in admin whose stored session has since expired
    sign_in(page)
    page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('scc.session'));"
        " s.expires = Math.floor(Date.now() / 1000) - 60;"
        " localStorage.setItem('scc.session', JSON.stringify(s)); }"
    )
    # WHEN the page is opened again
    page.reload()
    # THEN it asks them to sign in again, saying why, and forgets the session
    page.get_by_text("Your session has expired. Please sign in again.").wait_for()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.evaluate("localStorage.getItem('scc.session')") is None


def test_a_session_the_server_refuses_ends_with_the_same_message(server, page, sign_in):
    # GIVEN a stored session whose token the server will not accept (its signature is wrong)
    sign_in(page)
    claims = {"exp": int(time.time()) + 3600}
    forged = "e30." + base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=") + ".bad"
    page.evaluate(
        "(token) => { const s = JSON.parse(localStorage.getItem('scc.session'));"
        " s.token = token; localStorage.setItem('scc.session', JSON.stringify(s)); }",
        forged,
    )
    # WHEN the page asks the API for anything
    page.expected_errors.append("status of 401")
    page.reload()
    # THEN the 401 ends the session with a message, not a broken page
    page.get_by_text("Your session has expired. Please sign in again.").wait_for()
    page.get_by_role("heading", name="Sign in").wait_for()


def test_a_mistyped_address_is_explained_next_to_the_field(server, page):
    page.goto(server.url)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Email me a sign-in link").click()
    error = page.locator("[data-field=email] .field-error")
    error.wait_for()
    assert "Enter your email address" in error.text_content()
    assert page.get_by_label("Email address").get_attribute("aria-invalid") == "true"
