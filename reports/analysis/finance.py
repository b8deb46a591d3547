"""Cash figures from the ledger: monthly flows, burn, runway, break-even, revenue vs targets.

Operating flows are every ledger row except equity (owner contributions and draws move money
between the owner and the business; they are neither income nor cost).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model import Account, Entity, LedgerRow, Portfolio, Source
from ..vocabulary import AccountType, CostBehavior, EntityKind
from .months import last_full_months, month_of

ZERO = Decimal(0)


@dataclass(frozen=True)
class MonthFlow:
    """Money in and out of the business in one month (out is positive); net = in - out."""

    month: date
    inflow: Decimal
    outflow: Decimal
    revenue: Decimal  # the part of inflow booked to revenue accounts

    @property
    def net(self) -> Decimal:
        return self.inflow - self.outflow


@dataclass(frozen=True)
class BurnRate:
    """The average monthly net outflow over recent full months (None without ledger rows)."""

    monthly: Decimal | None
    months: tuple[MonthFlow, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class BreakEven:
    """Charters a month needed to cover fixed costs at the charter entities' unit contribution."""

    fixed_monthly: Decimal
    contribution: Decimal | None
    charters: Decimal | None  # exact, one decimal
    charters_needed: int | None  # rounded up: the number to plan for


@dataclass(frozen=True)
class TargetMonth:
    month: date
    target: Decimal
    actual: Decimal

    @property
    def gap(self) -> Decimal:
        return self.actual - self.target


def _types(accounts: Iterable[Account]) -> dict[str, Account]:
    return {account.code: account for account in accounts}


def operating_rows(ledger: Iterable[LedgerRow], accounts: Iterable[Account]) -> list[LedgerRow]:
    """Return the rows that are business income or cost: everything but equity movements."""
    by_code = _types(accounts)
    return [row for row in ledger if by_code[row.account].type is not AccountType.EQUITY]


def monthly_flows(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: list[date]
) -> list[MonthFlow]:
    """Return in, out and revenue for each of `months`."""
    by_code = _types(accounts)
    flows = []
    for month in months:
        rows = [row for row in operating_rows(ledger, by_code.values()) if month_of(row.date) == month]
        inflow = sum((row.amount for row in rows if row.amount > 0), ZERO)
        outflow = -sum((row.amount for row in rows if row.amount < 0), ZERO)
        revenue = sum((row.amount for row in rows if by_code[row.account].type is AccountType.REVENUE), ZERO)
        flows.append(MonthFlow(month, inflow, outflow, revenue))
    return flows


def burn_rate(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date, months: int = 3
) -> BurnRate:
    """Return the average net outflow of the last `months` full months before today's month."""
    ledger, accounts = list(ledger), list(accounts)
    window = last_full_months(today, months)
    flows = monthly_flows(ledger, accounts, window)
    sources = tuple(row.source for row in ledger if month_of(row.date) in window)
    if not sources:
        return BurnRate(None, tuple(flows), ())
    average = -sum((flow.net for flow in flows), ZERO) / len(flows)
    return BurnRate(average.quantize(Decimal("0.01"), ROUND_HALF_UP), tuple(flows), sources)


def runway(cash_on_hand: Decimal, burn: BurnRate) -> Decimal | None:
    """Return the months the cash lasts at this burn, one decimal; None when nothing burns."""
    if burn.monthly is None or burn.monthly <= 0:
        return None
    return (cash_on_hand / burn.monthly).quantize(Decimal("0.1"), ROUND_HALF_UP)


def fixed_costs(ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: list[date]) -> Decimal:
    """Return the average monthly outflow on accounts whose costs are fixed."""
    by_code = _types(accounts)
    fixed = {code for code, account in by_code.items() if account.cost_behavior is CostBehavior.FIXED}
    total = -sum(
        (row.amount for row in ledger if row.account in fixed and month_of(row.date) in months), ZERO
    )
    return (total / len(months)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def break_even(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], entities: Iterable[Entity], *, today: date
) -> BreakEven:
    """Return the charters a month that cover fixed costs (average of the charter entities' contribution)."""
    fixed = fixed_costs(list(ledger), list(accounts), last_full_months(today, 3))
    economics = [e.unit_economics for e in entities if e.kind is EntityKind.CHARTER and e.unit_economics]
    if not economics:
        return BreakEven(fixed, None, None, None)
    contribution = sum((unit.contribution for unit in economics), ZERO) / len(economics)
    if contribution <= 0:
        return BreakEven(fixed, contribution, None, None)
    exact = fixed / contribution
    return BreakEven(fixed, contribution, exact.quantize(Decimal("0.1"), ROUND_HALF_UP), math.ceil(exact))


def revenue_vs_targets(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> list[TargetMonth]:
    """Return target and booked revenue for every targeted month up to today's month."""
    months = [target.month for target in portfolio.revenue_targets if target.month <= month_of(today)]
    flows = {flow.month: flow for flow in monthly_flows(list(ledger), list(accounts), months)}
    return [
        TargetMonth(target.month, target.amount, flows[target.month].revenue)
        for target in portfolio.revenue_targets
        if target.month in flows
    ]
