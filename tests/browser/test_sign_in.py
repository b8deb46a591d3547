"""A new admin signs in the way a person does: the form, the emailed link, the charter list."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

pytestmark = pytest.mark.browser


def newest_link(outbox, address: str) -> str:
    """Return the sign-in link of the newest email to `address` in the server's outbox."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in message["To"]:
            return re.search(
                r"http\S+#token=[A-Za-z0-9_-]+", message.get_body(("plain",)).get_content()
            ).group(0)
    raise AssertionError(f"no email to {address} in {outbox}")


def test_admin_signs_in_with_the_emailed_link_and_sees_the_sample_charters(server, page):
    # GIVEN the local server with its sample data, WHEN an admin asks for a link in the form
    page.goto(server.url)
    page.get_by_label("Email address").fill("admin@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_text("Check your inbox").wait_for()

    # AND opens the link from the email that landed in the outbox
    link = newest_link(server.outbox, "admin@example.com")
    assert link.startswith(server.url + "/#token=")
    page.goto(link)

    # THEN they are signed in, the token has left the address bar, and the 8 sample charters show
    page.get_by_role("heading", name="Charters").wait_for()
    assert "token" not in page.url
    assert page.locator("#who-email").text_content() == "admin@example.com"
    page.locator("#charter-rows tr").nth(7).wait_for()
    assert page.locator("#charter-rows tr").count() == 8

    # AND the session survives a reload, and signing out returns to the form
    page.reload()
    page.get_by_role("heading", name="Charters").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


def test_printed_link_signs_in_once_and_a_reused_link_is_refused(server, page):
    # GIVEN the link `serve` printed on the console, WHEN it is opened
    page.goto(server.printed_link)
    # THEN it signs in
    page.get_by_role("heading", name="Charters").wait_for()
    page.get_by_role("button", name="Sign out").click()
    # AND opening it a second time is refused with a clear message (the 401 is expected)
    page.expected_errors.append("status of 401")
    page.goto(server.printed_link)
    page.get_by_text("That sign-in link did not work").wait_for()
    assert page.get_by_role("heading", name="Sign in").is_visible()
