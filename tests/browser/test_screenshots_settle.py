"""`make screenshots` captures a screen only once it is final: the data its requests fetch is
drawn, nothing is loading, fonts and images are in. A screen that never settles fails the test at
a deadline rather than ship a picture that contradicts itself."""

from __future__ import annotations

import pytest
from conftest import settle
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser
REPORTS = 8


def test_a_screen_waiting_for_its_data_is_not_settled_until_it_is_drawn(server, page, sign_in):
    # GIVEN the Reports page, whose catalogue answer the test holds back
    sign_in(page)
    held = []
    page.route("**/api/reports", lambda route: held.append(route))
    page.get_by_role("link", name="Reports").click()
    # WHEN a screenshot would be taken: the screen is not final while the answer is out
    with pytest.raises(PlaywrightTimeoutError):
        settle(page, timeout_ms=1500)
    assert held, "the catalogue was never asked for"
    # THEN once the answer is in, the screen settles with the catalogue drawn
    held[0].continue_()
    settle(page)
    assert page.locator("table.catalogue tbody tr").count() == REPORTS
    assert page.locator("#report-schedule").text_content().startswith("Next send:")
