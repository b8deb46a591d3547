"""The tasks board (the CEO report's cards, moved by button, by keyboard and by drag) and the
people page (an admin adds a captain, who then signs in without the admin pages)."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser


def send_ceo_report(server, token: str) -> None:
    """Send the CEO report through the API, as the schedule would, and wait for its run."""
    status, started = server.call("POST", "/api/generate-reports", {"reports": ["ceo"]}, token)
    assert status == 202, started
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, run = server.call("GET", f"/api/report-runs/{started['run_id']}", token=token)
        if run["status"] in {"succeeded", "partial", "failed"}:
            assert run["status"] == "succeeded", run
            return
        time.sleep(0.5)
    raise AssertionError(f"run {started['run_id']} did not end")


def column(page, name: str):
    return page.locator(f".column[data-column={name}] li.task")


def test_cards_from_the_ceo_report_move_across_the_board(server, page, sign_in, shoot):
    # GIVEN the CEO report was sent (it adds a card per top shortfall) and the admin opens Tasks
    token = sign_in(page)
    send_ceo_report(server, token)
    _, page_of_cards = server.call("GET", "/api/tasks", token=token)
    cards = page_of_cards["tasks"]
    from_report = [card for card in cards if card.get("source")]
    assert from_report, cards
    page.get_by_role("link", name="Tasks").click()
    page.get_by_role("heading", name="Tasks").wait_for()
    todo = column(page, "todo")
    todo.nth(len(cards) - 1).wait_for()
    assert todo.count() == len(cards)
    first = from_report[0]
    card = page.locator(f"#card-{first['id']}")
    assert first["title"] in card.text_content()
    assert first["urgency"] in card.text_content() and first["persona"].upper() in card.text_content()
    # AND each card from the report carries its due date, owner and a link to the CEO report: at
    # most three shortfalls, plus the stand-in's critical findings of the live AWS audit
    shortfalls = [c for c in from_report if "live AWS audit" not in c["source"]]
    assert len(shortfalls) <= 3 and all(c["due"] and c["owner"] and c["report"] == "ceo" for c in from_report)
    assert f"Owner {first['owner']}" in card.text_content() and "Due " in card.text_content()
    assert card.get_by_role("link", name=re.compile("CEO report")).get_attribute("href") == "#/reports/ceo"
    assert "three shortfalls it ranks highest" in page.locator("#tasks-title + p").text_content()
    shoot(page, "tasks")

    # WHEN the first card is moved with its button
    card.get_by_role("button", name=f"Move “{first['title']}” to Doing").click()
    # THEN it is in Doing, and the server has it there
    page.locator(f".column[data-column=doing] #card-{first['id']}").wait_for()
    _, stored = server.call("GET", "/api/tasks", token=token)
    assert {c["id"]: c["column"] for c in stored["tasks"]}[first["id"]] == "doing"

    # WHEN it is moved on from the keyboard (focus the button, press Enter)
    page.locator(f"#card-{first['id']}").get_by_role(
        "button", name=f"Move “{first['title']}” to Done"
    ).focus()
    page.keyboard.press("Enter")
    page.locator(f".column[data-column=done] #card-{first['id']}").wait_for()

    # WHEN another card is dragged from To do to Done
    second = from_report[1]
    page.locator(f"#card-{second['id']}").drag_to(page.locator(".column[data-column=done]"))
    page.locator(f".column[data-column=done] #card-{second['id']}").wait_for()

    # THEN after a reload the board is as they left it
    page.reload()
    page.locator(f".column[data-column=done] #card-{second['id']}").wait_for()
    assert column(page, "done").count() == 2
    assert column(page, "todo").count() == len(cards) - 2


def test_anyone_signed_in_adds_a_card(server, page, sign_in):
    sign_in(page, "crew@example.com")
    page.goto(server.url + "/#/tasks")
    page.get_by_label("New card").fill("Restock the first-aid kit")
    page.get_by_label("Urgency").select_option("high")
    page.get_by_role("button", name="Add card").click()
    card = column(page, "todo").filter(has_text="Restock the first-aid kit")
    card.wait_for()
    assert "high" in card.text_content()
    # an empty title is refused with the API's message at the field
    page.expected_errors.append("status of 400")
    page.get_by_role("button", name="Add card").click()
    page.locator("[data-field=title] .field-error").wait_for()


def test_an_admin_adds_a_captain_who_signs_in_without_admin_pages(server, page, browser, sign_in, shoot):
    # GIVEN an admin on the People page
    sign_in(page)
    page.get_by_role("link", name="People").click()
    page.get_by_role("heading", name="People").wait_for()
    # WHEN they add a person with a mistyped address, THEN the API's message is at the field
    page.get_by_label("Email", exact=True).fill("skipper.example.com")
    page.expected_errors.append("status of 400")
    page.get_by_role("button", name="Add person").click()
    page.locator("[data-field=email] .field-error").wait_for()
    # WHEN they fix it and choose the captain role
    page.get_by_label("Email", exact=True).fill("skipper@example.com")
    page.get_by_label("Name").fill("Sam Skipper")
    page.get_by_label("Role", exact=True).select_option("captain")
    page.get_by_role("button", name="Add person").click()
    # THEN the person is listed with their role
    row = page.locator("tr[data-email='skipper@example.com']")
    row.wait_for()
    assert "Sam Skipper" in row.text_content()
    assert row.get_by_label("Role of skipper@example.com").input_value() == "captain"
    shoot(page, "people")

    # AND the new captain can sign in, sees the charters and no admin pages
    other = browser.new_context()
    try:
        captain = other.new_page()
        sign_in(captain, "skipper@example.com")
        nav = captain.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link").all_text_contents() == ["Charters", "Tasks"]
        assert captain.locator("#who-role").text_content() == "captain"
    finally:
        other.close()


def test_an_admin_archives_a_card_from_the_board(server, page, sign_in):
    # GIVEN a card on the board
    token = sign_in(page)
    status, card = server.call("POST", "/api/tasks", {"title": "Old card to archive"}, token=token)
    assert status == 201, card
    page.get_by_role("link", name="Tasks").click()
    page.get_by_role("heading", name="Tasks").wait_for()
    item = page.locator(f"#card-{card['id']}")
    item.wait_for()
    # WHEN the admin archives it with its button
    item.get_by_role("button", name="Archive “Old card to archive”").click()
    # THEN it leaves the board, and the server's board no longer lists it
    page.get_by_text("Archived “Old card to archive”.").wait_for()
    assert page.locator(f"#card-{card['id']}").count() == 0
    _, board = server.call("GET", "/api/tasks", token=token)
    assert card["id"] not in [each["id"] for each in board["tasks"]]
