"""What portfolio.toml plans against what the ledger shows: revenue against the monthly targets,
and the capital plan with what is still to deploy.

A targeted month is judged only when the ledger has rows for it: a month before the ledger starts
is "no data" and a later month without rows is "not entered" — neither is a miss with $0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, CapitalItem, LedgerRow, Portfolio, Source
from ..vocabulary import CapitalStatus
from . import periods
from .finance import ZERO, monthly_flows
from .months import month_of

FULL, TO_DATE = "full month", "month to date"
NOT_ENTERED, NO_DATA = "not entered", "no data"  # the month cannot be judged


@dataclass(frozen=True)
class TargetMonth:
    """A month's revenue target against the revenue booked in it (None: no rows to judge by)."""

    month: date
    target: Decimal
    actual: Decimal | None
    source: Source | None = None  # the target's line in portfolio.toml
    standing: str = FULL  # FULL, TO_DATE, NOT_ENTERED or NO_DATA

    @property
    def gap(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.target

    @property
    def judged(self) -> bool:
        """Tell whether the month counts as a hit or a miss: a full month with ledger rows."""
        return self.standing == FULL


def revenue_vs_targets(
    portfolio: Portfolio, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> list[TargetMonth]:
    """Return target and booked revenue for every targeted month up to today's month."""
    ledger = list(ledger)
    targets = [target for target in portfolio.revenue_targets if target.month <= month_of(today)]
    found = periods.window(ledger, [target.month for target in targets])
    flows = {flow.month: flow for flow in monthly_flows(ledger, accounts, list(found.covered))}
    return [
        TargetMonth(
            target.month,
            target.amount,
            flows[target.month].revenue if target.month in flows else None,
            target.source,
            _standing(target.month, found, today),
        )
        for target in targets
    ]


def _standing(month: date, found: periods.Window, today: date) -> str:
    if month in found.before_start:
        return NO_DATA
    if month not in found.covered:
        return NOT_ENTERED
    return TO_DATE if month == month_of(today) else FULL


@dataclass(frozen=True)
class CapitalDeployment:
    """The capital plan, soonest first, totalled by status (lifecycle order) and, for what is still to
    deploy, by entity (largest first)."""

    items: tuple[CapitalItem, ...]
    by_status: tuple[tuple[str, Decimal], ...]
    by_entity: tuple[tuple[str, Decimal], ...]  # not yet spent
    total: Decimal
    to_deploy: Decimal  # every item not yet spent: the money still to go out
    spent: Decimal


def capital_deployment(portfolio: Portfolio) -> CapitalDeployment:
    """Return the capital plan by due date, totalled by status and what is left by entity."""
    items = tuple(sorted(portfolio.capital_plan, key=lambda item: (item.due, item.title)))
    by_status: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_entity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        by_status[item.status.value] += item.amount
        if item.status is not CapitalStatus.SPENT:
            by_entity[item.entity] += item.amount
    spent = by_status.get(CapitalStatus.SPENT.value, ZERO)
    total = sum((item.amount for item in items), ZERO)
    return CapitalDeployment(
        items,
        tuple((s.value, by_status[s.value]) for s in CapitalStatus if s.value in by_status),
        tuple(sorted(by_entity.items(), key=lambda pair: -pair[1])),
        total,
        total - spent,
        spent,
    )
