"""The KPI tiles of every report's email on a phone (issue 16): at 320 and 375 px they stack one
per row across the whole column, with no value cut and nothing wider than the screen; at 600 px
they sit three to a row. No media query does it (no <style> block): the widths are inline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Per tile: its width, its column's width, its right edge, and whether any text in it is clipped.
TILES = """() => [...document.querySelectorAll('.stack')].map((tile) => {
  const box = tile.getBoundingClientRect();
  const column = tile.parentElement.getBoundingClientRect();
  const cut = [...tile.querySelectorAll('div')].some((text) => text.scrollWidth > text.clientWidth + 1);
  return {width: box.width, column: column.width, right: box.right, top: box.top, cut};
})"""


@pytest.fixture(scope="module")
def email_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_each_tile_takes_the_whole_column(sent_emails, email_page, width):
    email_page.set_viewport_size({"width": width, "height": 800})
    poor = {}
    for report_id, markup in sent_emails.items():
        email_page.set_content(markup)
        tiles = email_page.evaluate(TILES)
        assert tiles, f"{report_id} has no KPI tiles"
        narrow = [t for t in tiles if t["width"] < t["column"] - 1]
        cut = [t for t in tiles if t["cut"] or t["right"] > width]
        tops = [t["top"] for t in tiles]
        if narrow or cut or len(set(tops)) != len(tops):
            poor[report_id] = (narrow + cut)[:2] or "two tiles share a row"
    assert not poor, f"tiles at {width} px: {poor}"


def test_at_600_px_the_tiles_sit_three_to_a_row_without_wrapping_early(sent_emails, email_page):
    email_page.set_viewport_size({"width": 600, "height": 800})
    for report_id, markup in sent_emails.items():
        email_page.set_content(markup)
        tiles = email_page.evaluate(TILES)
        first_row = [t for t in tiles if t["top"] == tiles[0]["top"]]
        assert len(first_row) == min(3, len(tiles)), report_id
        assert all(not t["cut"] and t["right"] <= 600 for t in tiles), report_id
