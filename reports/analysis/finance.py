"""Cash figures from the ledger: monthly flows, burn, runway and break-even.

Operating flows are the rows on revenue and expense accounts. Rows on equity (owner contributions
and draws), liability (deposits held, loans) and asset accounts are transfers, not income or cost:
a charter deposit counts when it is recognised as revenue, not when it is received.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model import Account, Entity, LedgerRow, Source, UnitEconomics
from ..vocabulary import AccountType, CostBehavior, EntityKind
from . import periods
from .months import month_of
from .periods import Window

ZERO = Decimal(0)
BURN_MONTHS = 3  # burn and break-even average the last three full months (their entered ones)
CENT, TENTH = Decimal("0.01"), Decimal("0.1")
OPERATING = frozenset({AccountType.REVENUE, AccountType.EXPENSE})


@dataclass(frozen=True)
class MonthFlow:
    """Operating money in and out in one month (out is positive); net = in - out."""

    month: date
    inflow: Decimal
    outflow: Decimal
    revenue: Decimal  # the part of inflow booked to revenue accounts

    @property
    def net(self) -> Decimal:
        return self.inflow - self.outflow


@dataclass(frozen=True)
class BurnRate:
    """The average monthly net operating outflow over the entered months of a recent window."""

    monthly: Decimal | None  # None: no revenue or expense rows in the entered months
    months: tuple[MonthFlow, ...]  # the entered months it averages, oldest first
    sources: tuple[Source, ...]
    window: Window  # the months asked for, and which of them have rows

    @property
    def provisional(self) -> bool:
        """Tell whether a month of the window is not entered yet, so the figure may still move."""
        return self.window.provisional


@dataclass(frozen=True)
class BreakEven:
    """Charters a month needed to cover fixed costs at the charter entities' unit contribution."""

    fixed_monthly: Decimal | None  # None: no entered month in the window
    contribution: Decimal | None
    charters: Decimal | None  # exact, one decimal
    charters_needed: int | None  # rounded up: the number to plan for
    economics: tuple[UnitEconomics, ...] = ()  # the charter entities' unit economics it averages
    window: Window | None = None  # the months the fixed costs average
    sources: tuple[Source, ...] = ()  # the fixed-cost rows


def _by_code(accounts: Iterable[Account]) -> dict[str, Account]:
    return {account.code: account for account in accounts}


def operating_rows(ledger: Iterable[LedgerRow], accounts: Iterable[Account]) -> list[LedgerRow]:
    """Return the rows that are business income or cost: those on revenue and expense accounts."""
    by_code = _by_code(accounts)
    return [row for row in ledger if row.account in by_code and by_code[row.account].type in OPERATING]


def monthly_flows(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: list[date]
) -> list[MonthFlow]:
    """Return operating in, out and revenue for each of `months`."""
    by_code = _by_code(accounts)
    by_month: dict[date, list[LedgerRow]] = defaultdict(list)
    for row in operating_rows(ledger, by_code.values()):
        by_month[month_of(row.date)].append(row)
    flows = []
    for month in months:
        rows = by_month[month]
        inflow = sum((row.amount for row in rows if row.amount > 0), ZERO)
        outflow = -sum((row.amount for row in rows if row.amount < 0), ZERO)
        revenue = sum((row.amount for row in rows if by_code[row.account].type is AccountType.REVENUE), ZERO)
        flows.append(MonthFlow(month, inflow, outflow, revenue))
    return flows


def burn_rate(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date, months: int = BURN_MONTHS
) -> BurnRate:
    """Return the average net operating outflow of the entered months among the last `months` full
    months: a month with no ledger rows is left out, never averaged in as $0."""
    ledger, accounts = list(ledger), list(accounts)
    found = periods.last_full(ledger, today, months)
    sources = tuple(
        row.source for row in operating_rows(ledger, accounts) if month_of(row.date) in found.covered
    )
    flows = tuple(monthly_flows(ledger, accounts, list(found.covered)))
    if not sources:
        return BurnRate(None, flows, (), found)
    average = -sum((flow.net for flow in flows), ZERO) / len(flows)
    return BurnRate(average.quantize(CENT, ROUND_HALF_UP), flows, sources, found)


def runway(cash_on_hand: Decimal, burn: BurnRate) -> Decimal | None:
    """Return the months the cash lasts at this burn, one decimal; None when nothing burns."""
    if burn.monthly is None or burn.monthly <= 0:
        return None
    return (cash_on_hand / burn.monthly).quantize(TENTH, ROUND_HALF_UP)


def fixed_rows(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: Iterable[date]
) -> list[LedgerRow]:
    """Return the rows in `months` on expense accounts whose costs are fixed."""
    fixed = {
        a.code for a in accounts if a.type is AccountType.EXPENSE and a.cost_behavior is CostBehavior.FIXED
    }
    months = set(months)
    return [row for row in ledger if row.account in fixed and month_of(row.date) in months]


def fixed_costs(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: list[date]
) -> Decimal | None:
    """Return the average monthly outflow on fixed-cost accounts over `months` (None without months)."""
    if not months:
        return None
    total = -sum((row.amount for row in fixed_rows(ledger, accounts, months)), ZERO)
    return (total / len(months)).quantize(CENT, ROUND_HALF_UP)


def break_even(
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    entities: Iterable[Entity],
    *,
    today: date,
    months: int = BURN_MONTHS,
) -> BreakEven:
    """Return the charters a month that cover fixed costs (averaged over the burn's entered months),
    at the charter entities' average contribution."""
    ledger, accounts = list(ledger), list(accounts)
    found = periods.last_full(ledger, today, months)
    fixed = fixed_costs(ledger, accounts, list(found.covered))
    sources = tuple(row.source for row in fixed_rows(ledger, accounts, found.covered))
    economics = tuple(e.unit_economics for e in entities if e.kind is EntityKind.CHARTER and e.unit_economics)
    if not economics:
        return BreakEven(fixed, None, None, None, (), found, sources)
    contribution = sum((unit.contribution for unit in economics), ZERO) / len(economics)
    if fixed is None or contribution <= 0:
        return BreakEven(fixed, contribution, None, None, economics, found, sources)
    exact = fixed / contribution
    charters = exact.quantize(TENTH, ROUND_HALF_UP)
    return BreakEven(fixed, contribution, charters, math.ceil(exact), economics, found, sources)
