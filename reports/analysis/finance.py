"""Cash figures from the ledger: monthly flows, burn, runway, break-even, revenue vs targets, capital.

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

from ..model import Account, CapitalItem, Entity, LedgerRow, Portfolio, Source, UnitEconomics
from ..vocabulary import AccountType, CapitalStatus, CostBehavior, EntityKind
from .months import last_full_months, month_of

ZERO = Decimal(0)
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
    """The average monthly net operating outflow over recent full months (None without ledger rows)."""

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
    economics: tuple[UnitEconomics, ...] = ()  # the charter entities' unit economics it averages


@dataclass(frozen=True)
class TargetMonth:
    """A month's revenue target against the revenue booked in it."""

    month: date
    target: Decimal
    actual: Decimal
    source: Source | None = None  # the target's line in portfolio.toml

    @property
    def gap(self) -> Decimal:
        return self.actual - self.target


@dataclass(frozen=True)
class CapitalDeployment:
    """The capital plan, soonest first, totalled by status (lifecycle order) and entity (largest first)."""

    items: tuple[CapitalItem, ...]
    by_status: tuple[tuple[str, Decimal], ...]
    by_entity: tuple[tuple[str, Decimal], ...]
    total: Decimal


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
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date, months: int = 3
) -> BurnRate:
    """Return the average net operating outflow of the last `months` full months before today's month."""
    ledger, accounts = list(ledger), list(accounts)
    window = last_full_months(today, months)
    sources = tuple(row.source for row in operating_rows(ledger, accounts) if month_of(row.date) in window)
    flows = tuple(monthly_flows(ledger, accounts, window))
    if not sources:
        return BurnRate(None, flows, ())
    average = -sum((flow.net for flow in flows), ZERO) / len(flows)
    return BurnRate(average.quantize(CENT, ROUND_HALF_UP), flows, sources)


def runway(cash_on_hand: Decimal, burn: BurnRate) -> Decimal | None:
    """Return the months the cash lasts at this burn, one decimal; None when nothing burns."""
    if burn.monthly is None or burn.monthly <= 0:
        return None
    return (cash_on_hand / burn.monthly).quantize(TENTH, ROUND_HALF_UP)


def fixed_costs(ledger: Iterable[LedgerRow], accounts: Iterable[Account], months: list[date]) -> Decimal:
    """Return the average monthly outflow on expense accounts whose costs are fixed."""
    fixed = {
        a.code for a in accounts if a.type is AccountType.EXPENSE and a.cost_behavior is CostBehavior.FIXED
    }
    total = -sum(
        (row.amount for row in ledger if row.account in fixed and month_of(row.date) in months), ZERO
    )
    return (total / len(months)).quantize(CENT, ROUND_HALF_UP)


def break_even(
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    entities: Iterable[Entity],
    *,
    today: date,
    months: int = 3,
) -> BreakEven:
    """Return the charters a month that cover fixed costs, at the charter entities' average contribution."""
    fixed = fixed_costs(list(ledger), list(accounts), last_full_months(today, months))
    economics = tuple(e.unit_economics for e in entities if e.kind is EntityKind.CHARTER and e.unit_economics)
    if not economics:
        return BreakEven(fixed, None, None, None)
    contribution = sum((unit.contribution for unit in economics), ZERO) / len(economics)
    if contribution <= 0:
        return BreakEven(fixed, contribution, None, None, economics)
    exact = fixed / contribution
    return BreakEven(fixed, contribution, exact.quantize(TENTH, ROUND_HALF_UP), math.ceil(exact), economics)


def revenue_vs_targets(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> list[TargetMonth]:
    """Return target and booked revenue for every targeted month up to today's month."""
    targets = [target for target in portfolio.revenue_targets if target.month <= month_of(today)]
    flows = monthly_flows(list(ledger), list(accounts), [target.month for target in targets])
    return [
        TargetMonth(target.month, target.amount, flow.revenue, target.source)
        for target, flow in zip(targets, flows, strict=True)
    ]


def capital_deployment(portfolio: Portfolio) -> CapitalDeployment:
    """Return the capital plan by due date, totalled by status and by entity."""
    items = tuple(sorted(portfolio.capital_plan, key=lambda item: (item.due, item.title)))
    by_status: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_entity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        by_status[item.status.value] += item.amount
        by_entity[item.entity] += item.amount
    return CapitalDeployment(
        items,
        tuple(
            (status.value, by_status[status.value]) for status in CapitalStatus if status.value in by_status
        ),
        tuple(sorted(by_entity.items(), key=lambda pair: -pair[1])),
        sum((item.amount for item in items), ZERO),
    )
