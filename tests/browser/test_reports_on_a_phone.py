"""The Reports page and the charters on a phone (issue 16): tables become stacked cards under
480 px, each cell labelled with its column; times carry the zone's abbreviation; runs have human
names ("Run of Mon 4 Dec, 09:14"), not ids."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CARD = """(selector) => {
  const table = document.querySelector(selector);
  const row = table.tBodies[0].rows[0];
  return {
    head: getComputedStyle(table.tHead).position,
    row: getComputedStyle(row).display,
    labels: [...row.cells].map((cell) => cell.dataset.label || ""),
    wide: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def test_the_catalogue_and_the_charters_are_cards_on_a_phone(server, browser, sign_in):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page)
        page.goto(f"{server.url}/#/reports")
        page.locator("table.catalogue tbody tr").first.wait_for()
        card = page.evaluate(CARD, "table.catalogue")
        assert card["row"] == "block" and card["head"] == "absolute" and card["wide"] <= 0
        assert card["labels"][1:6] == ["Report", "Audience", "Recipients", "Last sent", "Last status"]
        # every column shows (none hidden behind a sideways scroll)
        assert page.locator("table.catalogue tbody tr").first.locator("td.recipients").is_visible()
        page.goto(f"{server.url}/#/charters")
        page.locator("table.charters tbody tr").first.wait_for()
        card = page.evaluate(CARD, "table.charters")
        assert card["row"] == "block" and card["labels"][:2] == ["Date", "Time"] and card["wide"] <= 0
        # a charter's time says which clocks it is on (the business's zone, e.g. PST or PDT)
        times = page.locator("table.charters tbody tr td:nth-child(2)").all_text_contents()
        timed = [t for t in times if t != "—"]
        assert timed and all(re.search(r"\d\d:\d\d [A-Z]{2,4}$|GMT", t) for t in timed), timed
    finally:
        context.close()


def test_a_run_is_named_by_its_start_and_times_carry_the_zone(server, page, sign_in):
    token = sign_in(page)
    status, started = server.call(
        "POST", "/api/generate-reports", {"dry_run": True, "reports": ["cmo"]}, token=token
    )
    assert status == 202
    page.goto(f"{server.url}/#/reports")
    title = page.locator("#run-title")
    title.wait_for()
    page.wait_for_function(
        "() => (document.querySelector('#run-title')?.dataset.run || '') !== ''", timeout=30_000
    )
    assert re.fullmatch(r"Run of \w{3} \d{1,2} \w{3}, \d\d:\d\d( \(dry run\))?", title.text_content())
    assert title.get_attribute("data-run") == started["run_id"]
    started_cell = page.locator("table.history tbody tr").first.locator("td").first
    started_cell.wait_for()
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d [A-Z]{2,4}", started_cell.text_content())
