"""The CEO report on the executive fixture (`fixtures/executive/`, as of 2026-03-15).

Figures worked out by hand from the fixture files:
- burn: Dec 1,000 - 1,500 - 30 = -530; Jan -1,530; Feb -1,536 -> 3,596 / 3 = 1,198.67 a month ($1,199);
  runway 6,000 / 1,198.67 = 5.0 months (the March slip fee is outside the three full months).
- shortfalls, ranked: 1 Payroll unreconciled (critical finance, tech.md updated Feb: older),
  2 Burn outpaces revenue (critical finance, strategy.md, Mar), 3 Empty pipeline (critical sales),
  4 Checkout confusing (critical ux), 5 Keys in source, 6 No CI (high), 7 No WAF, 8 Weekly review (medium).
- 30-day plan (to 2026-04-14): Rotate the keys (14 days late), Call last season's guests (5 days late),
  Send the spring offer (Mar 20), Put a WAF in front (Mar 30), Sign an operating agreement (Apr 14):
  5 actions, 2 overdue; "Plan the summer season" (Apr 15) and "Add CI" (May 1) are beyond 30 days.
- KPIs: 3 defined, 2 untracked (Charters per month, Revenue by entity).
- assets running: alpha 4 + 1.50 + 0.50 + 1.25 + 900 = 907.25 (5), beta 3 + 15 = 18 (2): 925.25, 7.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from reports.briefs import ceo
from reports.build import context, select
from reports.formatting import show
from reports.kb.loader import Loaded, parse
from reports.kb.sources import read_files
from reports.live import Live
from reports.render import Rendered, render

D = Decimal
FIXTURE = Path(__file__).parent / "fixtures" / "executive"
TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
LIVE = Live(
    {
        "events_by_status": {"booked": 2, "inquiry": 3},
        "upcoming_charters": 2,
        "users_by_role": {"admin": 1, "crew": 4},
        "checklist_completion": 0.75,
    }
)
ATTACK = "<script>alert(1)</script>"


def executive_kb(edit: tuple[str, str, str] | None = None) -> Loaded:
    """Return the fixture; `edit` = (file, old text, new text) changes one file before loading."""
    files = read_files(str(FIXTURE))
    if edit:
        name, old, new = edit
        assert old.encode() in files[name], f"{old!r} is not in {name}"
        files[name] = files[name].replace(old.encode(), new.encode())
    loaded = parse(files)
    assert not loaded.problems, loaded.problems
    return loaded


def render_report(
    report_id: str, live: Live = LIVE, edit: tuple[str, str, str] | None = None, now: datetime = NOW
) -> Rendered:
    """Return the fixture's report rendered in both formats, sent at `now`."""
    loaded = executive_kb(edit)
    (report,) = select(loaded, [report_id])
    return render(report.id, report.spec.template, context(report, loaded, live, now=now))


@pytest.fixture(scope="module")
def brief() -> ceo.CeoBrief:
    return ceo.build(executive_kb().base, today=TODAY, entity=None)


def test_burn_and_runway_come_from_the_ledger_and_cash_on_hand(brief):
    # THEN burn is 3,596 / 3 and runway 6,000 / 1,198.67, one decimal
    assert brief.burn.monthly == D("1198.67")
    assert brief.runway_months == D("5.0")
    assert brief.headline == "burn $1,199/mo, 5.0 months of runway, 4 critical shortfalls"


def test_shortfalls_are_ranked_across_handoffs_with_the_older_handoff_first_on_a_tie(brief):
    titles = [row.title for row in brief.shortfalls]
    assert titles == [
        "Payroll unreconciled",
        "Burn outpaces revenue",
        "Empty pipeline",
        "Checkout confusing",
        "Keys in source",
        "No CI",
        "No WAF",
        "Weekly review missing",
    ]
    assert (brief.shortfall_count, brief.critical_count, brief.shortfalls_left) == (8, 4, "")
    # AND each row names the handoff file it came from, and the entity by name ("Shared" for the portfolio)
    assert (brief.shortfalls[0].entity, brief.shortfalls[0].file) == ("Alpha Charters", "projects/tech.md")
    assert (brief.shortfalls[1].entity, brief.shortfalls[1].file) == ("Shared", "projects/strategy.md")


def test_the_30_day_plan_has_overdue_actions_first_and_stops_at_day_30(brief):
    assert [row.action for row in brief.plan] == [
        "Rotate the keys",
        "Call last season's guests",
        "Send the spring offer",
        "Put a WAF in front",
        "Sign an operating agreement",
    ]
    assert brief.overdue_count == 2
    assert brief.plan_shown == 5
    first = brief.plan[0]
    assert (first.due, show(first.when), first.priority) == (date(2026, 3, 1), "14 days overdue", "high")
    assert brief.to_do[0] == "Rotate the keys (cto, high, due 2026-03-01, 14 days overdue)"


def test_untracked_kpis_and_the_asset_inventory(brief):
    assert [row.name for row in brief.untracked] == ["Charters per month", "Revenue by entity"]
    assert brief.untracked[1].target == "no target set"
    assert brief.kpi_count == 3
    assert (brief.inventory.count, brief.inventory.monthly) == (7, D("925.25"))
    assert brief.entity_bars == (("Alpha Charters", D("907.25")), ("Beta Boats", D("18.00")))
    assert brief.inventory_lines[0] == ceo.InventoryRow("Alpha Charters", "vessel", 1, D("900.00"))
    assert brief.unowned == ("Design tool (Beta Boats)",)


def test_no_ledger_rows_in_the_window_says_so_instead_of_a_zero_burn():
    # GIVEN a ledger holding only this month's slip fee (March: not a full month yet)
    full = executive_kb().base
    kb = replace(full, ledger=full.ledger[-1:])
    brief = ceo.build(kb, today=TODAY, entity=None)
    # THEN burn and runway are unknown and the brief says why
    assert (brief.burn.monthly, brief.runway_months) == (None, None)
    assert brief.money_note.startswith("No ledger rows in the last three full months")
    assert brief.headline.startswith("burn unknown")


def test_the_report_renders_the_key_figures_in_html_and_text():
    rendered = render_report("ceo")
    assert rendered.subject == "Burn $1,199/mo, 5.0 months of runway, 4 critical shortfalls — CEO briefing"
    for body in (rendered.html, rendered.text):
        for figure in ("$1,199/mo", "5.0 months", "$6,000", "$925/mo", "$907", "Payroll unreconciled"):
            assert figure in body, figure
        # the live counts: 2 upcoming, 75% checklists done, charters and people by status and role
        assert "75%" in body and "Charters inquiry" in body and "People: crew" in body
        assert "projects/tech.md" in body and "live counts (DynamoDB aggregates)" in body


def test_unavailable_live_counts_are_said_plainly():
    rendered = render_report("ceo", live=Live(None, "tables unreachable"))
    for body in (rendered.html, rendered.text):
        assert "live counts unavailable: tables unreachable" in body
        assert "Charters booked" not in body


def test_a_script_in_a_handoff_is_escaped_in_html_and_kept_in_text():
    rendered = render_report("ceo", edit=("projects/tech.md", "Payroll unreconciled", ATTACK))
    assert ATTACK not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert ATTACK in rendered.text


def test_metrics_follow_burn_runway_and_counts(brief):
    values = {key: metric.value for key, metric in ceo.metrics(brief).items()}
    assert values == {"burn": D("1198.67"), "runway_months": D("5.0"), "critical": 4, "untracked": 2}
