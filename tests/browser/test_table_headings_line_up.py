"""On a wide screen a table's headings sit above their columns (the shipped screenshots showed
the catalogue's headings squeezed to the left: the task board's `.cards` grid reached the tables
that stack as cards on a phone)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Per heading: its left edge and the left edge of the first row's cell in its column.
EDGES = """(table) => {
  const heads = [...table.querySelectorAll('thead th')];
  const cells = [...table.querySelector('tbody tr').cells];
  const left = (element) => Math.round(element.getBoundingClientRect().left);
  return heads.map((th, i) => [left(th), left(cells[i])]);
}"""


def test_the_catalogue_headings_sit_above_their_columns(server, page, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page)
    page.get_by_role("link", name="Reports").click()
    table = page.locator("table.catalogue")
    table.locator("tbody tr").first.wait_for()
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    for heading, cell in table.evaluate(EDGES):
        assert heading == cell
