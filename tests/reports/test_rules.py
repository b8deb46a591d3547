"""The financial rules checked against the finance fixture's ledger (worked out in its README)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import rules
from reports.model import Account, FinancialRule, LedgerRow, Portfolio, Source
from reports.vocabulary import AccountType, RuleKind

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


def checks() -> dict[str, rules.RuleCheck]:
    base = kb.load(str(FIXTURE)).base
    return {
        check.rule.id: check
        for check in rules.check_rules(base.portfolio, base.ledger, base.accounts, today=TODAY)
    }


def test_every_outflow_over_the_cap_is_listed_with_its_ledger_row():
    # GIVEN a 900 cap, three 1,000 slip payments and a 950 tenant deposit refund (line 17, on a
    # liability account: money out all the same, so the cap reads it)
    found = checks()["cap"]
    # THEN all four break it, each pointing at its ledger line
    assert [(v.when, v.amount, v.source.line) for v in found.violations] == [
        (date(2026, 8, 3), D(1000), 9),
        (date(2026, 9, 3), D(1000), 14),
        (date(2026, 9, 20), D(950), 17),
        (date(2026, 10, 3), D(1000), 18),
    ]


def test_an_account_over_its_monthly_cap_points_at_the_months_largest_row():
    # GIVEN software at 100 a month May-Aug and 200 in September (the duplicate), capped at 150
    (september,) = checks()["software"].violations
    assert (september.when, september.amount, september.source.line) == (date(2026, 9, 1), D(200), 15)


def test_net_monthly_outflow_over_the_limit_is_flagged():
    # Money out net of money in, owner money left out (the 5,000 contribution, line 12):
    # May-Jul 180 each; Aug 2,000 - 1,400 = -600; Sep 1,000 + 100 + 100 + 950 (refund) - 250 (deposit
    # received, line 13) = 1,900; Oct 1,000 + 50 - 400 - 600 = 50 -> only September tops 1,000 (line 14)
    (september,) = checks()["outflow"].violations
    assert (september.when, september.amount, september.source.line) == (date(2026, 9, 1), D(1900), 14)


def test_cash_floor_is_checked_on_month_end_balances_rebuilt_from_today():
    found = checks()["cash"]
    balances = {v.when: v.amount for v in found.violations}
    # End Oct 1,000 and end Sep 1,050 are above 500; end Aug 1,050 - 3,100 = -2,050 is not
    assert balances[date(2026, 8, 1)] == D(-2050)
    assert date(2026, 9, 1) not in balances and date(2026, 10, 1) not in balances
    assert not found.kept
    # AND the breach cites the rule (its [[rule]] table, line 31) and the month, not portfolio.toml:1
    # (months before the ledger's first row, May 2026, are not judged: their balance is not known)
    assert min(balances) == date(2026, 5, 1)
    (august,) = [v for v in found.violations if v.when == date(2026, 8, 1)]
    assert (str(august.source), august.detail) == ("portfolio.toml:31", "cash at the end of August 2026")


ACCOUNTS = (
    Account("1500", "Vessels", AccountType.ASSET, "fixed-assets", None, Source("accounts.csv", 2)),
    Account(
        "2100", "Deposits held", AccountType.LIABILITY, "deferred-revenue", None, Source("accounts.csv", 3)
    ),
    Account("2500", "Vessel loan", AccountType.LIABILITY, "loans", None, Source("accounts.csv", 4)),
    Account("3100", "Owner draws", AccountType.EQUITY, "owner-equity", None, Source("accounts.csv", 5)),
    Account("4000", "Charter revenue", AccountType.REVENUE, "charters", None, Source("accounts.csv", 6)),
    Account("6000", "Dockage", AccountType.EXPENSE, "dockage", None, Source("accounts.csv", 7)),
)


def ledger(*rows: tuple[str, str, str]) -> tuple[LedgerRow, ...]:
    """Rows (date, account, amount), numbered from ledger.csv line 2."""
    return tuple(
        LedgerRow(date.fromisoformat(day), "jada", account, D(amount), "", Source("ledger.csv", line))
        for line, (day, account, amount) in enumerate(rows, start=2)
    )


def rule(kind: RuleKind, limit: int) -> FinancialRule:
    return FinancialRule(kind.value, kind.value, kind, D(limit), None, None, Source("portfolio.toml", 9))


def portfolio(*rules_: FinancialRule) -> Portfolio:
    return Portfolio("P", "USD", TODAY, D(50000), (), rules_, (), Source("portfolio.toml", 1))


def test_equipment_and_loan_repayments_are_outflows_owner_draws_and_recognitions_are_not():
    # GIVEN October: an engine bought (asset, line 2), loan principal repaid (liability, line 3), an
    # owner draw (equity, line 4), a held deposit recognised as revenue (lines 5-6: no cash moves)
    # and the slip (expense, line 7)
    rows = ledger(
        ("2026-10-02", "1500", "-3000"),
        ("2026-10-05", "2500", "-2600"),
        ("2026-10-08", "3100", "-5000"),
        ("2026-10-10", "2100", "-2800"),
        ("2026-10-10", "4000", "2800"),
        ("2026-10-12", "6000", "-500"),
    )
    cap, monthly = rule(RuleKind.MAX_SINGLE_EXPENSE, 2500), rule(RuleKind.MAX_MONTHLY_OUTFLOW, 5000)
    found = rules.check_rules(portfolio(cap, monthly), rows, ACCOUNTS, today=TODAY)
    # THEN the engine (3,000) and the repayment (2,600) break the 2,500 cap; the draw and the
    # recognition do not
    assert [(v.amount, v.source.line) for v in found[0].violations] == [(D(3000), 2), (D(2600), 3)]
    # AND October's outflow is 3,000 + 2,600 + 500 = 6,100 > 5,000 (reading only revenue and expense
    # rows it was 500 - 2,800 = -2,300: no breach), pointing at the engine, the largest row
    (october,) = found[1].violations
    assert (october.when, october.amount, october.source.line) == (date(2026, 10, 1), D(6100), 2)


def test_the_rules_look_back_over_twelve_full_months_not_the_current_partial_one():
    # GIVEN three 200 slips: 31 Oct 2025 (thirteen months back), 1 Nov 2025 (first of the twelve full
    # months before November 2026) and 10 Nov 2026 (this month: not complete)
    rows = ledger(
        ("2025-10-31", "6000", "-200"), ("2025-11-01", "6000", "-200"), ("2026-11-10", "6000", "-200")
    )
    (check,) = rules.check_rules(
        portfolio(rule(RuleKind.MAX_SINGLE_EXPENSE, 100)), rows, ACCOUNTS, today=TODAY
    )
    # THEN only the one inside Nov 2025 - Oct 2026 is listed
    assert [v.when for v in check.violations] == [date(2025, 11, 1)]
    assert rules.lookback(TODAY)[0] == date(2025, 11, 1) and rules.lookback(TODAY)[-1] == date(2026, 10, 1)
