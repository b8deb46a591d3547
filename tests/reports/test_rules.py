"""The financial rules checked against the finance fixture's ledger (worked out in its README)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import rules

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


def checks() -> dict[str, rules.RuleCheck]:
    base = kb.load(str(FIXTURE)).base
    return {
        check.rule.id: check
        for check in rules.check_rules(base.portfolio, base.ledger, base.accounts, today=TODAY)
    }


def test_every_expense_over_the_cap_is_listed_with_its_ledger_row():
    # GIVEN a 900 cap, three 1,000 slip payments and a 950 tenant deposit refund (a liability, not a cost)
    found = checks()["cap"]
    # THEN the three slips break it, each pointing at its ledger line; the refund does not
    assert [(v.when, v.amount, v.source.line) for v in found.violations] == [
        (date(2026, 8, 3), D(1000), 9),
        (date(2026, 9, 3), D(1000), 14),
        (date(2026, 10, 3), D(1000), 18),
    ]


def test_an_account_over_its_monthly_cap_points_at_the_months_largest_row():
    # GIVEN software at 100 a month May-Aug and 200 in September (the duplicate), capped at 150
    (september,) = checks()["software"].violations
    assert (september.when, september.amount, september.source.line) == (date(2026, 9, 1), D(200), 15)


def test_net_monthly_outflow_over_the_limit_is_flagged():
    # Net out: May-Jul 180, Aug -600, Sep 1,200, Oct 450 -> only September tops 1,000 (its slip, line 14)
    (september,) = checks()["outflow"].violations
    assert (september.when, september.amount, september.source.line) == (date(2026, 9, 1), D(1200), 14)


def test_cash_floor_is_checked_on_month_end_balances_rebuilt_from_today():
    found = checks()["cash"]
    balances = {v.when: v.amount for v in found.violations}
    # End Oct 1,000 and end Sep 1,050 are above 500; end Aug 1,050 - 3,100 = -2,050 is not
    assert balances[date(2026, 8, 1)] == D(-2050)
    assert date(2026, 9, 1) not in balances and date(2026, 10, 1) not in balances
    assert not found.kept
