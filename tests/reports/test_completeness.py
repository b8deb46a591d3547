"""Completeness is a first-class fact: a month with no ledger rows is "not entered" (never a $0 that
moves an average), a month before the ledger starts is "no data" (never a miss), and the report says
so at the top, in the subject's figure and in the JSON.

Small portfolio built here, as of 15 Feb 2027 (the last three full months are Nov, Dec, Jan):
- Nov and Dec: revenue 4,000 and expenses 11,795 each -> net -7,795 a month; January has no rows.
- burn = (7,795 + 7,795) / 2 = 7,795 over Nov-Dec. Averaging January in as $0 would give
  15,590 / 3 = 5,196.67: the smaller, wrong figure this must never produce.
- runway = 46,500 / 7,795 = 5.97 -> 6.0 months.
- targets: Oct 2026 (before the ledger starts: no data), Nov 5,000 (actual 4,000: -1,000),
  Jan 3,000 (not entered): one judged month, one miss.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import finance, targets
from reports.briefs import cfo
from reports.build import context, select
from reports.live import Live
from reports.model import Account, KnowledgeBase, LedgerRow, Portfolio, RevenueTarget, Source
from reports.render import render
from reports.vocabulary import AccountType, CostBehavior

AS_OF = date(2027, 2, 15)
SRC = Source("ledger.csv", 1)
ACCOUNTS = (
    Account("4000", "Charter revenue", AccountType.REVENUE, "charters", None, SRC),
    Account("6000", "Dockage", AccountType.EXPENSE, "dockage", CostBehavior.FIXED, SRC),
)
FINANCE = Path(__file__).parent / "fixtures" / "finance"
NOW = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)


def ledger(*months: date) -> tuple[LedgerRow, ...]:
    """Return revenue 4,000 and expenses 11,795 in each month (net -7,795)."""
    rows = []
    for month in months:
        rows.append(LedgerRow(month.replace(day=3), "jada", "4000", D(4000), "Charters", SRC))
        rows.append(LedgerRow(month.replace(day=9), "jada", "6000", D(-11795), "Slip", SRC))
    return tuple(rows)


def portfolio() -> Portfolio:
    goals = (
        RevenueTarget(date(2026, 10, 1), D(5000), Source("portfolio.toml", 7)),
        RevenueTarget(date(2026, 11, 1), D(5000), Source("portfolio.toml", 8)),
        RevenueTarget(date(2027, 1, 1), D(3000), Source("portfolio.toml", 9)),
    )
    return Portfolio("P", "USD", AS_OF, D(46500), goals, (), (), Source("portfolio.toml", 1))


def base(*months: date) -> KnowledgeBase:
    return KnowledgeBase(portfolio(), (), (), ACCOUNTS, ledger(*months), ())


def test_a_month_not_entered_is_left_out_of_the_burn_never_averaged_in_as_zero():
    full = finance.burn_rate(
        ledger(date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)), ACCOUNTS, today=AS_OF
    )
    # WHEN January's rows are deleted
    burn = finance.burn_rate(ledger(date(2026, 11, 1), date(2026, 12, 1)), ACCOUNTS, today=AS_OF)
    # THEN the burn is over Nov-Dec (7,795), not 15,590 / 3 = 5,196.67, and it is provisional
    assert burn.monthly == D("7795.00") == full.monthly
    assert burn.monthly > D("5196.67")
    assert [flow.month for flow in burn.months] == [date(2026, 11, 1), date(2026, 12, 1)]
    assert burn.provisional and burn.window.missing == (date(2027, 1, 1),)
    assert not full.provisional


def test_the_cfo_headline_says_which_month_is_missing():
    brief = cfo.build(base(date(2026, 11, 1), date(2026, 12, 1)), today=AS_OF)
    assert brief.headline == "burn $7,795/mo (Nov–Dec; Jan not entered), 6.0 months of runway"  # noqa: RUF001
    assert brief.actions[0].startswith(
        "Cash lasts 6.0 months at $7,795/mo (provisional: Nov–Dec; Jan not entered)"  # noqa: RUF001
    )
    # AND the JSON marks burn and runway provisional, naming the month
    burn = brief.provenance["burn"]
    assert (burn.provisional, burn.missing, burn.window) == (
        True,
        (date(2027, 1, 1),),
        "Nov–Dec; Jan not entered",  # noqa: RUF001
    )
    assert brief.provenance["runway_months"].provisional


def test_months_before_the_ledger_starts_are_no_data_and_not_entered_months_are_not_misses():
    goals = targets.revenue_vs_targets(
        portfolio(), ledger(date(2026, 11, 1), date(2026, 12, 1)), ACCOUNTS, today=AS_OF
    )
    # Oct: before the first row (no data); Nov: 4,000 vs 5,000; Jan: not entered
    assert [(g.month.month, g.actual, g.gap, g.standing) for g in goals] == [
        (10, None, None, targets.NO_DATA),
        (11, D(4000), D(-1000), targets.FULL),
        (1, None, None, targets.NOT_ENTERED),
    ]
    brief = cfo.build(base(date(2026, 11, 1), date(2026, 12, 1)), today=AS_OF)
    # THEN only November counts: "missed target in 1 of 1 full months", not 3 of 3 with $0 actuals
    assert "Revenue missed target in 1 of 1 full months; worst Nov 2026 at -$1,000." in brief.actions
    assert brief.key_figures[3].value == "n/a"  # January, the last full month, is not entered


def rendered_without_october(tmp_path, report_id: str):
    """The finance fixture with October's rows deleted (lines 18-21 of its ledger)."""
    root = tmp_path / "kb"
    shutil.copytree(FINANCE, root)
    ledger_file = root / "ledger.csv"
    kept = [line for line in ledger_file.read_text().splitlines() if not line.startswith("2026-10-")]
    ledger_file.write_text("\n".join(kept) + "\n")
    loaded = kb.load(str(root))
    (report,) = select(loaded, [report_id])
    live = Live(None, "no live counts in this test")
    return render(report.id, report.spec.template, context(report, loaded, live, now=NOW))


def test_deleting_a_month_makes_the_report_say_so_at_the_top_in_the_subject_and_in_the_json(tmp_path):
    # GIVEN the finance fixture (burn 350 over Aug-Oct) with October deleted: Aug +600, Sep -1,200
    # -> burn 600 / 2 = 300 (never 600 / 3 = 200); runway 1,000 / 300 = 3.3; fixed (1,100 + 1,200) / 2
    # = 1,150 over a 350 contribution = 3.3 -> plan for 4
    report = rendered_without_october(tmp_path, "cfo")
    # (the break-even clause is dropped to keep the inbox line under 80 characters)
    assert report.subject == (
        "Burn $300/mo (Aug–Sep; Oct not entered), 3.3 months of runway — CFO briefing"  # noqa: RUF001
    )
    notice = "Not entered yet: Oct 2026 (no ledger rows)."
    assert report.text.split("=" * 78)[1].lstrip("\n").startswith(f"! {notice}")
    assert notice in report.html
    burn = report.data["figures"]["provenance"]["burn"]
    assert burn == {
        "source": "ledger.csv:8-11,14-16",
        "window": "Aug–Sep; Oct not entered",  # noqa: RUF001
        "cut_off": "2026-11-15",
        "provisional": True,
        "missing": ["2026-10-01"],
    }
    assert report.data["figures"]["break_even"]["fixed_monthly"] == 1150
    # AND the CEO's subject states the same figure the same way
    ceo = rendered_without_october(tmp_path / "ceo", "ceo")
    assert ceo.subject.startswith(
        "Burn $300/mo (Aug–Sep; Oct not entered), 3.3 months of runway"  # noqa: RUF001
    )
