"""The portfolio's financial rules, checked against the ledger: every breach with the row that shows it.

Rules look back over the twelve full months before `as_of`'s month (`LOOKBACK_MONTHS`); the cash
floor is also checked on `as_of` itself. The spending rules read every *outflow*: a negative row on
an expense, asset (equipment bought) or liability (a loan repaid, a deposit refunded) account.
Owner money (equity) is not the business's spending, and the pair of rows that recognises a held
deposit as revenue moves no cash, so neither is read. A monthly breach points at the month's
largest outflow, the row to look at first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, FinancialRule, LedgerRow, Portfolio, Source
from ..vocabulary import AccountType, RuleKind
from . import periods
from .finance import ZERO
from .months import add_months, last_full_months, month_of

LOOKBACK_MONTHS = 12
DEFERRED_CATEGORY = "deferred-revenue"  # deposits held until the charter (as in recognition.py)


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


def lookback(today: date) -> list[date]:
    """Return the months the rules look back over: the twelve full months before `today`'s month."""
    return last_full_months(today, LOOKBACK_MONTHS)


def check_rules(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> list[RuleCheck]:
    """Return each rule with its violations over the twelve full months before `today`'s month."""
    ledger, window = list(ledger), set(lookback(today))
    rows = [row for row in cash_rows(ledger, accounts) if month_of(row.date) in window]
    return [
        RuleCheck(rule, tuple(_violations(rule, rows, ledger, portfolio, today))) for rule in portfolio.rules
    ]


def cash_rows(ledger: Iterable[LedgerRow], accounts: Iterable[Account]) -> list[LedgerRow]:
    """Return the rows that move the business's money: every account but owner equity, leaving out
    the non-cash pairs that recognise a held deposit as revenue."""
    by_code = {account.code: account for account in accounts}
    rows = [row for row in ledger if row.account in by_code]
    transfers = _recognitions(rows, by_code)
    return [
        row
        for position, row in enumerate(rows)
        if by_code[row.account].type is not AccountType.EQUITY and position not in transfers
    ]


def _recognitions(rows: list[LedgerRow], by_code: dict[str, Account]) -> set[int]:
    """Return the positions of recognition pairs: a deferred-revenue row out and a revenue row in,
    on the same day, for the same entity, amount and `ref` (blank on both in a ledger without refs)."""
    revenue: dict[tuple, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        if by_code[row.account].type is AccountType.REVENUE and row.amount > 0:
            revenue[row.date, row.entity, row.amount, row.ref].append(position)
    pairs = set()
    for position, row in enumerate(rows):
        account = by_code[row.account]
        matches = revenue.get((row.date, row.entity, -row.amount, row.ref))
        if account.category == DEFERRED_CATEGORY and row.amount < 0 and matches:
            pairs.update((position, matches.pop()))
    return pairs


def _violations(rule, rows, ledger, portfolio, today) -> list[Violation]:
    applicable = [row for row in rows if rule.entity is None or rule.entity == row.entity]
    if rule.kind is RuleKind.MIN_CASH:
        return _min_cash(rule, portfolio, ledger, today)
    if rule.kind is RuleKind.MAX_SINGLE_EXPENSE:
        return _single_expense(rule, applicable)
    if rule.kind is RuleKind.MAX_ACCOUNT_MONTHLY:
        return _monthly(rule, [row for row in applicable if row.account == rule.account and row.amount < 0])
    return _monthly(rule, applicable)  # MAX_MONTHLY_OUTFLOW: money out net of money in


def _single_expense(rule: FinancialRule, rows: list[LedgerRow]) -> list[Violation]:
    return [
        Violation(rule, row.date, -row.amount, f"{row.memo or 'outflow'} ({row.entity})", row.source)
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
    """Rebuild month-end cash backwards from today's cash on hand, and flag months under the floor.

    Only entered months are judged (before the ledger starts, or in a month not entered, the
    balance is not known); a breach cites the rule's line in portfolio.toml and names the month."""
    violations = []
    for month in periods.window(ledger, lookback(today)).covered:
        month_end = add_months(month, 1)
        later = sum((row.amount for row in ledger if month_end <= row.date <= today), ZERO)
        balance = portfolio.cash_on_hand - later
        if balance < rule.limit:
            detail = f"cash at the end of {month:%B %Y}"
            violations.append(Violation(rule, month, balance, detail, rule.source))
    if portfolio.cash_on_hand < rule.limit:
        detail = f"cash on hand on {today:%d %B %Y} (cash_on_hand)"
        violations.append(Violation(rule, today, portfolio.cash_on_hand, detail, rule.source))
    return violations
