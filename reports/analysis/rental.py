"""A rental property: its rent roll, occupancy, net operating income and the leases about to end.

Each function reads one rental entity (and, for NOI, its own ledger rows) and keeps the
`Source`s of what it used, so the report can footnote every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model import Account, Entity, LedgerRow, RentalUnit, Source
from ..vocabulary import AccountType, UnitStatus
from .months import last_full_months, month_of

ZERO = Decimal(0)
# Chart-of-accounts convention: expense accounts in this category repay debt (mortgage, loans);
# they are a balance-sheet movement, so NOI leaves them out and shows them below the line.
FINANCING_CATEGORY = "financing"
LEASE_HORIZON_DAYS = 90  # a lease ending this soon needs a renewal or a new tenant now
NOI_MONTHS = 12  # NOI is read over the last twelve full months
LET = (UnitStatus.OCCUPIED, UnitStatus.NOTICE)  # a tenant on notice still pays rent


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole to four places (a 0..1 fraction), or None when the whole is zero."""
    return (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else None


@dataclass(frozen=True)
class Occupancy:
    """How much of the property is let, by units and by rent."""

    units: int
    occupied_units: int
    potential_rent: Decimal  # a month's rent if every unit were let
    occupied_rent: Decimal
    sources: tuple[Source, ...]

    @property
    def by_units(self) -> Decimal | None:
        return share(Decimal(self.occupied_units), Decimal(self.units))

    @property
    def by_rent(self) -> Decimal | None:
        return share(self.occupied_rent, self.potential_rent)

    @property
    def vacant_rent(self) -> Decimal:
        """Return the rent a month the empty units do not bring in."""
        return self.potential_rent - self.occupied_rent


def rent_roll(entity: Entity) -> tuple[RentalUnit, ...]:
    """Return the units, vacant ones first (they cost money every month), then by rent, largest first."""
    return tuple(sorted(entity.units, key=lambda u: (u.status in LET, -u.monthly_rent, u.id)))


def occupancy(entity: Entity) -> Occupancy | None:
    """Return occupancy by units and by rent, or None when the property lists no units."""
    if not entity.units:
        return None
    let = [unit for unit in entity.units if unit.status in LET]
    return Occupancy(
        units=len(entity.units),
        occupied_units=len(let),
        potential_rent=sum((unit.monthly_rent for unit in entity.units), ZERO),
        occupied_rent=sum((unit.monthly_rent for unit in let), ZERO),
        sources=tuple(unit.source for unit in entity.units),
    )


@dataclass(frozen=True)
class LeaseEnding:
    """A let unit whose lease ends within the horizon (or has already ended)."""

    unit: RentalUnit
    days_left: int  # negative: the lease ended that many days ago and the tenant is still there


def leases_ending(
    entity: Entity, *, today: date, within_days: int = LEASE_HORIZON_DAYS
) -> tuple[LeaseEnding, ...]:
    """Return the let units whose lease ends within `within_days` of `today`, soonest first."""
    ending = [
        LeaseEnding(unit, (unit.lease_end - today).days)
        for unit in entity.units
        if unit.status in LET and unit.lease_end and (unit.lease_end - today).days <= within_days
    ]
    return tuple(sorted(ending, key=lambda lease: lease.days_left))


@dataclass(frozen=True)
class AccountTotal:
    """What one account added up to over the period (positive: money in for revenue, out for costs)."""

    code: str
    name: str
    amount: Decimal
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class MonthResult:
    """One month's operating income and operating expenses."""

    month: date
    income: Decimal
    expenses: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses


@dataclass(frozen=True)
class OperatingIncome:
    """Net operating income over full months; financing (debt service) is kept apart."""

    months: tuple[date, ...]  # first day of each month, oldest first
    income: tuple[AccountTotal, ...]  # by revenue account, largest first
    expenses: tuple[AccountTotal, ...]  # by operating expense account, largest first
    financing: tuple[AccountTotal, ...]  # debt service, left out of NOI
    by_month: tuple[MonthResult, ...]
    sources: tuple[Source, ...]

    @property
    def total_income(self) -> Decimal:
        return sum((line.amount for line in self.income), ZERO)

    @property
    def total_expenses(self) -> Decimal:
        return sum((line.amount for line in self.expenses), ZERO)

    @property
    def total_financing(self) -> Decimal:
        return sum((line.amount for line in self.financing), ZERO)

    @property
    def noi(self) -> Decimal:
        return self.total_income - self.total_expenses

    @property
    def monthly_noi(self) -> Decimal:
        return (self.noi / len(self.months)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def cash_after_financing(self) -> Decimal:
        """Return what is left once the debt is serviced."""
        return self.noi - self.total_financing


def net_operating_income(
    entity_id: str,
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    *,
    today: date,
    months: int = NOI_MONTHS,
    window: Iterable[date] | None = None,
) -> OperatingIncome | None:
    """Return NOI over the last `months` full months (or over `window`, the entered ones among them,
    so a month not entered is not averaged in), or None when the entity has no rows in them."""
    window = tuple(last_full_months(today, months) if window is None else window)
    by_code = {account.code: account for account in accounts}
    rows = [
        row
        for row in ledger
        if row.entity == entity_id and month_of(row.date) in window and row.account in by_code
    ]
    kinds = {row.account: _kind(by_code[row.account]) for row in rows}
    rows = [row for row in rows if kinds[row.account]]
    if not rows:
        return None
    return OperatingIncome(
        months=window,
        income=account_totals([r for r in rows if kinds[r.account] == "income"], by_code, sign=1),
        expenses=account_totals([r for r in rows if kinds[r.account] == "expense"], by_code, sign=-1),
        financing=account_totals([r for r in rows if kinds[r.account] == "financing"], by_code, sign=-1),
        by_month=tuple(_month(month, rows, kinds) for month in window),
        sources=tuple(row.source for row in rows),
    )


def _kind(account: Account) -> str | None:
    if account.type is AccountType.REVENUE:
        return "income"
    if account.type is AccountType.EXPENSE:
        return "financing" if account.category == FINANCING_CATEGORY else "expense"
    return None  # balance-sheet movements (deposits held, assets) are not operations


def account_totals(
    rows: list[LedgerRow], by_code: dict[str, Account], *, sign: int
) -> tuple[AccountTotal, ...]:
    """Return the rows summed per account (`sign` -1 turns outflows into positive costs), largest first."""
    codes = sorted({row.account for row in rows})
    totals = [
        AccountTotal(
            code,
            by_code[code].name,
            sign * sum((row.amount for row in rows if row.account == code), ZERO),
            tuple(row.source for row in rows if row.account == code),
        )
        for code in codes
    ]
    return tuple(sorted(totals, key=lambda total: (-total.amount, total.code)))


def _month(month: date, rows: list[LedgerRow], kinds: dict[str, str | None]) -> MonthResult:
    inside = [row for row in rows if month_of(row.date) == month]
    income = sum((row.amount for row in inside if kinds[row.account] == "income"), ZERO)
    expenses = -sum((row.amount for row in inside if kinds[row.account] == "expense"), ZERO)
    return MonthResult(month, income, expenses)
