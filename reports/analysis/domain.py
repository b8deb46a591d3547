"""The domain businesses: a rental's rent roll and NOI, a delivery outfit's jobs and margin, an
agency's billing audit. Each function reads one entity and its own ledger rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..model import Account, Client, DeliveryJob, Entity, LedgerRow, RentalUnit, WorkItem
from ..vocabulary import AccountType, BillingModel, JobStatus, UnitStatus
from .finance import ZERO
from .months import last_full_months, month_of

FINANCING_CATEGORY = "financing"  # loan principal: a balance-sheet movement, not an operating cost
LEASE_WARNING_DAYS = 90
EARNED = (JobStatus.COMPLETED, JobStatus.INVOICED, JobStatus.PAID)


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else None


@dataclass(frozen=True)
class RentRoll:
    units: tuple[RentalUnit, ...]
    occupancy: Decimal | None  # occupied units / units
    rent_occupancy: Decimal | None  # rent of occupied units / rent of all units
    potential_rent: Decimal
    occupied_rent: Decimal
    leases_ending: tuple[RentalUnit, ...]


def rent_roll(entity: Entity, *, today: date) -> RentRoll:
    """Return the units with occupancy by count and by rent, and leases ending within 90 days."""
    units = entity.units
    occupied = [u for u in units if u.status in (UnitStatus.OCCUPIED, UnitStatus.NOTICE)]
    potential = sum((u.monthly_rent for u in units), ZERO)
    earning = sum((u.monthly_rent for u in occupied), ZERO)
    ending = tuple(
        u for u in units if u.lease_end and today <= u.lease_end <= today + timedelta(days=LEASE_WARNING_DAYS)
    )
    count = Decimal(len(units))
    return RentRoll(
        units, _ratio(Decimal(len(occupied)), count), _ratio(earning, potential), potential, earning, ending
    )


@dataclass(frozen=True)
class OperatingIncome:
    """Net operating income over the last twelve full months (financing left out)."""

    months: int
    income: Decimal
    expenses: Decimal
    by_category: tuple[tuple[str, Decimal], ...]

    @property
    def noi(self) -> Decimal:
        return self.income - self.expenses

    @property
    def monthly(self) -> Decimal:
        return (self.noi / self.months).quantize(Decimal("0.01"), ROUND_HALF_UP)


def operating_income(
    entity: Entity, ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
):
    """Return the entity's revenue, operating expenses by category and NOI for the last 12 months."""
    by_code, window = {a.code: a for a in accounts}, last_full_months(today, 12)
    rows = [r for r in ledger if r.entity == entity.id and month_of(r.date) in window]
    income = sum((r.amount for r in rows if by_code[r.account].type is AccountType.REVENUE), ZERO)
    costs: dict[str, Decimal] = {}
    for row in rows:
        account = by_code[row.account]
        if account.type is AccountType.EXPENSE and account.category != FINANCING_CATEGORY:
            costs[account.category] = costs.get(account.category, ZERO) - row.amount
    lines = tuple(sorted(costs.items(), key=lambda item: item[1], reverse=True))
    return OperatingIncome(len(window), income, sum(costs.values(), ZERO), lines)


@dataclass(frozen=True)
class DeliveryBook:
    jobs: tuple[DeliveryJob, ...]  # newest first
    earned: tuple[DeliveryJob, ...]  # completed, invoiced or paid
    revenue: Decimal
    direct_costs: Decimal
    by_status: tuple[tuple[str, int], ...]

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.direct_costs

    @property
    def margin_rate(self) -> Decimal | None:
        return _ratio(self.margin, self.revenue)


def delivery_book(entity: Entity) -> DeliveryBook:
    """Return the jobs, and revenue, direct costs and margin over the jobs already earned."""
    jobs = tuple(sorted(entity.jobs, key=lambda job: job.date, reverse=True))
    earned = tuple(job for job in jobs if job.status in EARNED)
    statuses = tuple(
        (s.value, sum(1 for j in jobs if j.status is s))
        for s in JobStatus
        if any(j.status is s for j in jobs)
    )
    return DeliveryBook(
        jobs, earned, sum((j.revenue for j in earned), ZERO), sum((j.costs for j in earned), ZERO), statuses
    )


@dataclass(frozen=True)
class Unbilled:
    item: WorkItem
    age_days: int


@dataclass(frozen=True)
class Overdue:
    item: WorkItem
    days_overdue: int


@dataclass(frozen=True)
class ClientTotals:
    client: Client
    billed: Decimal
    unbilled: Decimal
    overdue: Decimal


@dataclass(frozen=True)
class BillingAudit:
    unbilled: tuple[Unbilled, ...]
    model_gaps: tuple[Client, ...]
    overdue: tuple[Overdue, ...]
    clients: tuple[ClientTotals, ...]


def billing_audit(entity: Entity, *, today: date) -> BillingAudit:
    """Return work done but not billed, clients with no billing model, and invoices past due."""
    items = [i for i in entity.work_items if i.completed <= today]
    unbilled = sorted(
        (Unbilled(i, (today - i.completed).days) for i in items if not i.billed), key=lambda u: -u.age_days
    )
    overdue = sorted(
        (
            Overdue(i, (today - i.due).days)
            for i in items
            if i.billed and not i.paid and i.due and i.due < today
        ),
        key=lambda o: -o.days_overdue,
    )
    worked = {i.client for i in items}
    gaps = tuple(
        c
        for c in entity.clients
        if c.billing_model is BillingModel.NONE or (c.id in worked and c.rate is None)
    )
    totals = tuple(
        ClientTotals(
            client,
            sum((i.amount for i in items if i.client == client.id and i.billed), ZERO),
            sum((u.item.amount for u in unbilled if u.item.client == client.id), ZERO),
            sum((o.item.amount for o in overdue if o.item.client == client.id), ZERO),
        )
        for client in entity.clients
    )
    return BillingAudit(tuple(unbilled), gaps, tuple(overdue), totals)
