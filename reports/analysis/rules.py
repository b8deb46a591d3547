"""The portfolio's financial rules, checked against the ledger: every breach with the row that shows it.

Rules are checked over the twelve months up to `today` (a documented general window: one year of
books). A monthly breach points at the month's largest outflow, the row to look at first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, FinancialRule, LedgerRow, Portfolio, Source
from ..vocabulary import RuleKind
from .finance import ZERO, operating_rows
from .months import add_months, last_full_months, month_of

LOOKBACK_MONTHS = 12


@dataclass(frozen=True)
class Violation:
    """One breach of a rule: when, the figure that broke the limit, and the row or month that shows it."""

    rule: FinancialRule
    when: date
    amount: Decimal
    detail: str
    source: Source


@dataclass(frozen=True)
class RuleCheck:
    """A rule and every breach of it found in the window."""

    rule: FinancialRule
    violations: tuple[Violation, ...]

    @property
    def kept(self) -> bool:
        return not self.violations


def check_rules(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> list[RuleCheck]:
    """Return each rule with its violations over the last twelve months up to `today`."""
    ledger = list(ledger)
    rows = [row for row in operating_rows(ledger, accounts) if _in_window(row.date, today)]
    return [
        RuleCheck(rule, tuple(_violations(rule, rows, ledger, portfolio, today))) for rule in portfolio.rules
    ]


def _violations(rule, rows, ledger, portfolio, today) -> list[Violation]:
    applicable = [row for row in rows if rule.entity is None or rule.entity == row.entity]
    if rule.kind is RuleKind.MIN_CASH:
        return _min_cash(rule, portfolio, ledger, today)
    if rule.kind is RuleKind.MAX_SINGLE_EXPENSE:
        return _single_expense(rule, applicable)
    if rule.kind is RuleKind.MAX_ACCOUNT_MONTHLY:
        return _monthly(rule, [row for row in applicable if row.account == rule.account and row.amount < 0])
    return _monthly(rule, applicable)  # MAX_MONTHLY_OUTFLOW: net of all operating rows


def _in_window(day: date, today: date) -> bool:
    return add_months(month_of(today), -LOOKBACK_MONTHS) <= day <= today


def _single_expense(rule: FinancialRule, rows: list[LedgerRow]) -> list[Violation]:
    return [
        Violation(rule, row.date, -row.amount, f"{row.memo or 'expense'} ({row.entity})", row.source)
        for row in rows
        if -row.amount > rule.limit
    ]


def _monthly(rule: FinancialRule, rows: list[LedgerRow]) -> list[Violation]:
    """Flag the months whose outflow (net of inflows among `rows`) exceeds the limit."""
    totals: dict[date, Decimal] = defaultdict(lambda: ZERO)
    largest: dict[date, LedgerRow] = {}
    for row in sorted(rows, key=lambda r: r.date):
        month = month_of(row.date)
        totals[month] -= row.amount
        if row.amount < 0 and (month not in largest or row.amount < largest[month].amount):
            largest[month] = row
    return [
        Violation(rule, month, total, f"{month:%B %Y}: ${total:,.2f} out", largest[month].source)
        for month, total in sorted(totals.items())
        if total > rule.limit and month in largest
    ]


def _min_cash(
    rule: FinancialRule, portfolio: Portfolio, ledger: list[LedgerRow], today: date
) -> list[Violation]:
    """Rebuild month-end cash backwards from today's cash on hand, and flag months under the floor."""
    violations = []
    for month in last_full_months(today, LOOKBACK_MONTHS):
        month_end = add_months(month, 1)
        later = sum((row.amount for row in ledger if month_end <= row.date <= today), ZERO)
        balance = portfolio.cash_on_hand - later
        if balance < rule.limit:
            detail = f"cash at the end of {month:%B %Y}"
            violations.append(Violation(rule, month, balance, detail, portfolio.source))
    if portfolio.cash_on_hand < rule.limit:
        violations.append(
            Violation(rule, today, portfolio.cash_on_hand, "cash on hand today", portfolio.source)
        )
    return violations
