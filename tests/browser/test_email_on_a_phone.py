"""Every sample report's email as read on a phone (issue 16): rendered in Chromium at 320, 375
and 600 px, no sideways scroll, and body text of 14 px or more at 375 px without zoom."""

from __future__ import annotations

import pytest
from sample_run import LIVE, NOW, SAMPLE

from reports import kb
from reports.build import build_all

BODY_TEXT_PX = 14
# Table headings, tile labels (uppercase) and source numbers (<sup>) may be smaller, never below:
SMALL_TEXT_PX = 12

# Per visible text node: its font size, and whether it is one of the small kinds above.
FONT_SIZES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    const small = !!el.closest('th, sup') || style.textTransform === 'uppercase';
    out.push({text: text.slice(0, 40), size: parseFloat(style.fontSize), small});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def reports():
    outcomes = build_all(kb.load(str(SAMPLE)), lambda: LIVE, now=NOW)
    return {outcome.report.id: outcome.rendered.html for outcome in outcomes}


@pytest.fixture(scope="module")
def email_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def test_the_sample_has_every_report(reports):
    assert len(reports) == 8


@pytest.mark.parametrize("width", [320, 375, 600])
def test_no_report_scrolls_sideways(reports, email_page, width):
    email_page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for report_id, markup in reports.items():
        email_page.set_content(markup)
        scroll = email_page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[report_id] = scroll
    assert not wide, f"horizontal overflow at {width} px: {wide}"


@pytest.mark.parametrize("width", [375, 600])
def test_text_is_readable_without_zoom(reports, email_page, width):
    email_page.set_viewport_size({"width": width, "height": 800})
    too_small = {}
    for report_id, markup in reports.items():
        email_page.set_content(markup)
        nodes = email_page.evaluate(FONT_SIZES)
        assert nodes, report_id
        body = [n for n in nodes if not n["small"] and n["size"] < BODY_TEXT_PX]
        small = [n for n in nodes if n["size"] < SMALL_TEXT_PX]
        if body or small:
            too_small[report_id] = (body + small)[:5]
    assert not too_small, f"text below {BODY_TEXT_PX} px (or {SMALL_TEXT_PX} px for labels): {too_small}"


def test_kpi_tiles_stack_on_a_phone_and_sit_in_a_row_at_600(reports, email_page):
    markup = reports["cfo"]
    lefts = (
        "() => [...document.querySelectorAll('.stack')].slice(0, 3).map(t => t.getBoundingClientRect().left)"
    )
    email_page.set_viewport_size({"width": 375, "height": 800})
    email_page.set_content(markup)
    assert len(set(email_page.evaluate(lefts))) == 1  # one above the other
    email_page.set_viewport_size({"width": 600, "height": 800})
    email_page.set_content(markup)
    assert len(set(email_page.evaluate(lefts))) == 3  # side by side


def test_outlook_gets_a_fixed_600_px_table_in_a_conditional_comment(reports):
    for report_id, markup in reports.items():
        assert '<!--[if mso]><table role="presentation" width="600"' in markup, report_id
        assert markup.count('width="600"') == 1, report_id  # fluid everywhere else
