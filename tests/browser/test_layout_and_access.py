"""Every screen fits a phone, every control has a name, and focus is visible and keyboard-led."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SCREENS = ["#/charters", "#/charters/new", "#/reports", "#/reports/ceo", "#/tasks", "#/people"]
UNNAMED_CONTROLS = """() => [...document.querySelectorAll(
    '#view input, #view select, #view textarea, #view button')]
  .filter((el) => !(el.labels && el.labels.length)
    && !el.getAttribute('aria-label') && !el.textContent.trim())
  .map((el) => el.outerHTML)"""


@pytest.mark.parametrize("screen", SCREENS)
def test_each_screen_fits_a_phone_and_names_every_control(server, browser, sign_in, screen, shoot):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        sign_in(page)
        page.goto(f"{server.url}/{screen}")
        page.locator("#view h2").wait_for()
        page.wait_for_load_state("networkidle")
        # THEN nothing is wider than the phone (wide tables scroll inside their own box)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{screen} is {overflow}px wider than the phone"
        # AND every form control and button has an accessible name
        assert page.evaluate(UNNAMED_CONTROLS) == []
        if screen in {"#/charters", "#/tasks"}:
            shoot(page, f"phone-{screen.strip('#/').replace('/', '-')}")
    finally:
        context.close()
    assert errors == []


def test_the_keyboard_reaches_the_content_and_focus_is_visible(server, page, sign_in):
    sign_in(page)
    page.goto(server.url + "/#/charters")
    page.reload()  # a fresh load, focus at the start of the document
    page.locator("table.charters tbody tr").first.wait_for()
    # The first Tab stop is the skip link, and it leads into the page's content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    # Focus shows as an outline (the :focus-visible style), not only a colour change
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # Enter on a charter link opens it
    link = page.locator("table.charters tbody a").first
    title = link.text_content()
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=title).wait_for()
