"""The portfolio's financial rules, checked against the ledger: every breach with its row."""

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
    """One breach of a rule: when, by how much, and the row or month that shows it."""

    rule: FinancialRule
    when: date
    amount: Decimal  # the figure that broke the limit
    detail: str
    source: Source


@dataclass(frozen=True)
class RuleCheck:
    rule: FinancialRule
    violations: tuple[Violation, ...]

    @property
    def kept(self) -> bool:
        return not self.violations


def check_rules(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
):
    """Return each rule with its violations over the last twelve months up to `today`."""
    rows = [row for row in operating_rows(list(ledger), list(accounts)) if _in_window(row.date, today)]
    checks = {
        RuleKind.MIN_CASH: lambda rule: _min_cash(rule, portfolio, list(ledger), today),
        RuleKind.MAX_SINGLE_EXPENSE: lambda rule: _single_expense(rule, rows),
        RuleKind.MAX_ACCOUNT_MONTHLY: lambda rule: _monthly(
            rule, [r for r in rows if r.account == rule.account]
        ),
        RuleKind.MAX_MONTHLY_OUTFLOW: lambda rule: _monthly(rule, rows, net=True),
    }
    return [RuleCheck(rule, tuple(checks[rule.kind](rule))) for rule in portfolio.rules]


def _in_window(day: date, today: date) -> bool:
    return add_months(month_of(today), -LOOKBACK_MONTHS) <= day <= today


def _applies(rule: FinancialRule, row: LedgerRow) -> bool:
    return rule.entity is None or rule.entity == row.entity


def _single_expense(rule: FinancialRule, rows: list[LedgerRow]) -> list[Violation]:
    return [
        Violation(rule, row.date, -row.amount, f"{row.memo or 'expense'} ({row.entity})", row.source)
        for row in rows
        if _applies(rule, row) and -row.amount > rule.limit
    ]


def _monthly(rule: FinancialRule, rows: list[LedgerRow], *, net: bool = False) -> list[Violation]:
    totals: dict[date, Decimal] = defaultdict(lambda: ZERO)
    first: dict[date, Source] = {}
    for row in sorted((r for r in rows if _applies(rule, r)), key=lambda r: r.date):
        if net or row.amount < 0:
            totals[month_of(row.date)] -= row.amount
            first.setdefault(month_of(row.date), row.source)
    return [
        Violation(rule, month, total, f"{month:%B %Y}: ${total:,.2f} out", first[month])
        for month, total in sorted(totals.items())
        if total > rule.limit
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
            violations.append(
                Violation(rule, month, balance, f"cash at the end of {month:%B %Y}", portfolio.source)
            )
    if portfolio.cash_on_hand < rule.limit:
        violations.append(
            Violation(rule, today, portfolio.cash_on_hand, "cash on hand today", portfolio.source)
        )
    return violations
