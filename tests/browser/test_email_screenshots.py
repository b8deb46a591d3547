"""Every report's email as an executive first sees it, on a 375 px phone: the HTML part as sent,
saved whole (full page) as docs/screenshots/email-<report>-375.png by `make screenshots`."""

from __future__ import annotations

import pytest
from conftest import settle

pytestmark = pytest.mark.browser
PHONE = 375


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    yield context.new_page()
    context.close()


def test_every_email_is_saved_whole_at_375_px(sent_emails, phone, shoot, record_property):
    heights = {}
    for report_id, markup in sent_emails.items():
        phone.set_content(markup)
        settle(phone)
        height = phone.evaluate("document.documentElement.scrollHeight")
        path = shoot(phone, f"email-{report_id}-{PHONE}")
        # the image is the whole email at the phone's width: no sideways scroll, nothing cut off
        assert png_size(path) == (PHONE, height), report_id
        heights[report_id] = height
    record_property("email_heights_at_375_px", heights)
    print("email heights at 375 px:", heights)


def png_size(path) -> tuple[int, int]:
    """Return a PNG's (width, height) from its IHDR chunk."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
