"""The CMO report on the executive fixture (`fixtures/executive/`, as of 2026-03-15).

Figures worked out by hand from the fixture files:
- lists: Alpha Newsletter 1,200 (paused) + Beta Customer list 300 = 1,500 people.
- channels: Alpha 6 (3 live: Website, Instagram, GetMyBoat), Beta 4 (2 live: list, Sailo) -> 5 of 10.
- OTAs: Sailo (1; Alpha planned, Beta live) -> GetMyBoat (2; Alpha live) -> Viator (3; Alpha planned):
  2 of 4 listings live.
- opportunities: Corporate events 5,000-20,000, Spring offer 2,000-8,000 -> 7,000-28,000.
- milestones (marketing and sales, open): 30 days: Late blast (10 days late), Sailo live (Apr 14);
  60 days: First OTA booking (Apr 15); 90 days: Viator live (Jun 13); "Far future" (Jun 14) is out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_ceo import ATTACK, FIXTURE, LIVE, NOW, executive_kb, render_report

from reports.briefs import cmo
from reports.build import context, select
from reports.formatting import show
from reports.kb.loader import parse
from reports.kb.sources import read_files
from reports.render import render

D = Decimal
TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def brief() -> cmo.CmoBrief:
    return cmo.build(executive_kb().base, today=TODAY, entity=None)


def test_headline_and_key_figures(brief):
    assert (
        brief.headline
        == "1,500 people on the email lists, 5 of 10 channels live, OTAs Sailo -> GetMyBoat -> Viator"
    )
    figures = {tile.label: show(tile.value) for tile in brief.key_figures}
    assert figures["OTA listings live"] == "2/4"
    assert figures["Opportunities"] == "$7,000-$28,000"
    assert figures["Milestones in 30 days"] == "2"
    # AND the tiles hold the figures themselves, not their text
    assert (brief.opportunity_low, brief.opportunity_high) == (D(7000), D(28000))


def test_matrix_rows_and_ota_rows(brief):
    assert ("Entity", *brief.visibility.kinds) == ("Entity", "website", "email", "social", "ota", "search")
    matrix = tuple(
        (row.entity.name, *(cell.status or "" for cell in row.cells)) for row in brief.visibility.rows
    )
    assert matrix == (
        ("Alpha Charters", "live", "paused", "live", "live", ""),
        ("Beta Boats", "draft", "live", "", "live", "paused"),
    )
    assert [(row.name, row.entities, row.standing) for row in brief.ota] == [
        ("Sailo", "Alpha Charters, Beta Boats", "live for Beta Boats"),
        ("GetMyBoat", "Alpha Charters", "live on all"),
        ("Viator", "Alpha Charters", "not listed yet"),
    ]


def test_to_do_leads_with_the_cmos_actions_then_the_paused_list_and_the_next_ota(brief):
    assert brief.to_do == (
        "Send the spring offer (due 2026-03-20, critical)",
        "Restart the Alpha Charters Newsletter: 1,200 people, currently paused.",
        "List Alpha Charters on Sailo (OTA step 1).",
    )


def test_milestones_by_horizon(brief):
    assert [(row.within, row.title, show(row.when)) for row in brief.milestones] == [
        (30, "Late blast", "10 days late"),
        (30, "Sailo live", "in 30 days"),
        (60, "First OTA booking", "in 31 days"),
        (90, "Viator live", "in 90 days"),
    ]
    assert brief.quiet_horizons == ()


def test_the_report_renders_the_key_figures_in_html_and_text():
    rendered = render_report("cmo")
    assert rendered.subject == "1,500 people on the email lists, 5 of 10 channels live — CMO briefing"
    for body in (rendered.html, rendered.text):
        for figure in ("1,500", "1,200", "$5,000-$20,000", "5/10", "live for Beta Boats"):
            assert figure in body, figure
        assert "entities/*.md (channels)" in body and "projects/strategy.md" in body


def test_no_email_lists_is_said_plainly():
    # GIVEN both entities' lists recorded as social channels instead of email lists
    files = read_files(str(FIXTURE))
    for name in ("entities/alpha.md", "entities/beta.md"):
        files[name] = files[name].replace(b'kind = "email"', b'kind = "social"')
    loaded = parse(files)
    (report,) = select(loaded, ["cmo"])
    rendered = render(report.id, report.spec.template, context(report, loaded, LIVE, now=NOW))
    # THEN the brief has no list and no zero total is shown: the section says what is missing
    brief = cmo.build(loaded.base, today=TODAY, entity=None)
    assert (brief.lists.total, brief.list_bars) == (0, ())
    assert brief.headline.startswith("no email list recorded")
    for body in (rendered.html, rendered.text):
        assert "No data: no email list with a size in the entity files".lower() in body.lower()


def test_a_script_in_an_entity_name_is_escaped_in_html():
    rendered = render_report(
        "cmo", edit=("entities/alpha.md", 'name = "Alpha Charters"', f'name = "{ATTACK}"')
    )
    assert ATTACK not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert ATTACK in rendered.text
