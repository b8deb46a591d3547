"""Charters in the browser: an admin creates one (the API's validation shown at the field),
ticks its checklist, edits it; untrusted text stays text; captains tick but do not edit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser
ATTACK = '<img src=x onerror="document.body.dataset.owned=1">Sunset & "stars"'


def test_admin_creates_a_charter_sees_its_timing_and_ticks_its_checklist(server, page, sign_in, shoot):
    # GIVEN a signed-in admin on the new-charter form
    sign_in(page)
    page.get_by_role("link", name="New charter").click()
    page.get_by_role("heading", name="New charter").wait_for()
    departure = date.today() + timedelta(days=40)
    page.get_by_label("Title").fill(ATTACK)
    page.get_by_label("Entity").select_option("jada")
    page.get_by_label("Status").select_option("booked")
    page.get_by_label("Date").fill(departure.isoformat())
    page.get_by_label("Start time").fill("10:00")
    # WHEN the end is before the start
    page.get_by_label("End time").fill("09:00")
    page.get_by_label("Checklist").fill("Fuel\nIce\nLife jackets counted")
    page.expected_errors.append("status of 400")
    page.get_by_role("button", name="Create charter").click()

    # THEN the API's message shows next to End time, and the field is marked invalid
    error = page.locator("[data-field=end_time] .field-error")
    error.wait_for()
    assert error.text_content() == "End time must be after start time"
    assert page.get_by_label("End time").get_attribute("aria-invalid") == "true"
    shoot(page, "charter-form-error")

    # WHEN it is corrected, THEN the charter is created and its detail shows
    page.get_by_label("End time").fill("13:30")
    page.get_by_role("button", name="Create charter").click()
    heading = page.get_by_role("heading", level=2)
    page.get_by_role("heading", name="Checklist").wait_for()
    # AND the markup in the title is shown as text, never run
    assert heading.text_content() == ATTACK
    assert page.locator("#view img").count() == 0
    assert page.evaluate("document.body.dataset.owned") is None
    # AND the timing panel gives the duration and a countdown to departure
    assert page.locator(".facts").first.get_by_text("3 h 30 min").count() == 1
    # (39 or 40 whole days, by the hour of the day in the business's zone)
    assert page.locator(".countdown").text_content().split(" days")[0] in {"Departs in 39", "Departs in 40"}

    # WHEN two of the three items are ticked
    page.get_by_label("Fuel").check()
    page.get_by_text("1 of 3 done (33%)").wait_for()
    page.get_by_label("Life jackets counted").check()
    # THEN the progress bar follows
    page.get_by_text("2 of 3 done (67%)").wait_for()
    assert page.locator("progress").first.get_attribute("value") == "2"
    shoot(page, "charter-detail")

    # AND the ticks are stored: after a reload they are still there
    page.reload()
    page.get_by_text("2 of 3 done (67%)").wait_for()
    assert page.get_by_label("Fuel").is_checked()
    assert not page.get_by_label("Ice").is_checked()

    # WHEN the admin renames it, THEN the ticks survive the edit
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Whale watch for the Chens")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="Whale watch for the Chens").wait_for()
    page.get_by_text("2 of 3 done (67%)").wait_for()

    # AND the list shows it with its progress, under its entity and status
    page.get_by_role("link", name="← All charters").click()
    page.get_by_label("Entities").select_option("jada")
    page.get_by_label("Statuses").select_option("booked")
    row = page.locator("table.charters tbody tr", has_text="Whale watch for the Chens")
    row.wait_for()
    assert "2 of 3 done" in row.text_content()
    shoot(page, "charters")


def test_a_captain_ticks_items_but_cannot_create_or_edit(server, page, sign_in):
    # GIVEN a captain signed in
    sign_in(page, "captain@example.com")
    # THEN there is no New charter button and no Reports or People in the navigation
    assert page.get_by_role("link", name="New charter").count() == 0
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_text_contents() == ["Charters", "Tasks"]
    # WHEN they open an upcoming charter and tick an item
    page.locator("table.charters tbody a").first.click()
    page.get_by_role("heading", name="Checklist").wait_for()
    assert page.get_by_role("link", name="Edit").count() == 0
    before = page.locator(".progress-words").first.text_content()
    box = page.locator(".checklist input:not(:checked)").first
    box.check()
    # THEN the progress moves on
    page.wait_for_function(
        "(before) => document.querySelector('.progress-words').textContent !== before", arg=before
    )
    # AND an admin page addressed directly says it is for admins
    page.goto(server.url + "/#/reports")
    page.get_by_role("heading", name="Admins only").wait_for()
