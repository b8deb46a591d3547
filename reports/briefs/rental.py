"""Rental brief for one property: rent roll, occupancy, net operating income, leases ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import rental
from ..analysis.months import last_full_months
from ..formatting import Figure, money, percent, period, show
from ..history import Metric
from ..model import Entity, KnowledgeBase, RentalUnit
from ..vocabulary import UnitStatus
from . import rows
from .rows import Phrase, StatementLine, Tile

LEDGER = "ledger.csv"


@dataclass(frozen=True)
class LeaseRow:
    """A lease that ends (or has ended) within the horizon, and the rent it brings."""

    unit: str
    name: str
    lease_end: date
    when: Phrase  # "ends in 20 days", "ends today", "ended 14 days ago"
    rent: Decimal


@dataclass(frozen=True)
class RentalBrief:
    """Everything the rental report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    entity_file: str
    occupancy: rental.Occupancy | None
    roll: tuple[RentalUnit, ...]  # vacant units first, then by rent
    leases_ending: tuple[LeaseRow, ...]
    lease_horizon_days: int
    months: tuple[date, ...]  # the NOI months, oldest first
    income: rental.OperatingIncome | None  # by_month is the income-vs-expenses chart
    statement: tuple[StatementLine, ...]  # the NOI statement
    income_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> RentalBrief:
    """Return the property owner's brief for `entity` as of `today`."""
    occupancy = rental.occupancy(entity)
    ending = rental.leases_ending(entity, today=today)
    income = rental.net_operating_income(entity.id, kb.ledger, kb.accounts, today=today)
    months = tuple(last_full_months(today, rental.NOI_MONTHS))
    return RentalBrief(
        headline=_headline(occupancy, income),
        key_figures=_key_figures(occupancy, income, months),
        actions=_actions(entity, ending, income),
        entity_file=entity.source.file,
        occupancy=occupancy,
        roll=rental.rent_roll(entity),
        leases_ending=tuple(
            LeaseRow(e.unit.id, e.unit.name, e.unit.lease_end, _when(e.days_left), e.unit.monthly_rent)
            for e in ending
        ),
        lease_horizon_days=rental.LEASE_HORIZON_DAYS,
        months=months,
        income=income,
        statement=_statement(income) if income else (),
        income_missing=None
        if income
        else f"no ledger rows on revenue or expense accounts for {period(months)}",
    )


def metrics(brief: RentalBrief) -> dict[str, Metric]:
    """Return the rental figures followed from one report to the next."""
    occupancy = brief.occupancy.by_units if brief.occupancy else None
    noi = brief.income.monthly_noi if brief.income else None
    return {
        "occupancy": Metric("Occupancy", occupancy, "fraction"),
        "noi_monthly": Metric("NOI per month", noi, "money"),
    }


def _headline(occupancy, income) -> str:
    parts = [f"{percent(occupancy.by_units)} occupied" if occupancy else "no units listed"]
    parts.append(f"NOI {money(income.monthly_noi)}/mo" if income else "no NOI: no ledger rows")
    if occupancy and occupancy.vacant_rent:
        parts.append(f"{money(occupancy.vacant_rent)}/mo of rent lost to vacancy")
    return ", ".join(parts)


def _key_figures(occupancy, income, months: tuple[date, ...]) -> tuple[Tile, ...]:
    tiles = [_occupancy_tile(occupancy)]
    if occupancy:
        rent = ("of ", rows.money(occupancy.potential_rent), " potential rent")
        tiles.append(Tile("Vacancy cost", rows.per_month(occupancy.vacant_rent), rent))
    over = Figure(months, "period")
    if income:
        tiles.insert(
            1, Tile("NOI", rows.per_month(income.monthly_noi), (rows.money(income.noi), " over ", over))
        )
    else:
        tiles.insert(1, Tile("NOI", "n/a", ("no ledger rows for ", over)))
    return tuple(tiles)


def _occupancy_tile(occupancy) -> Tile:
    if not occupancy:
        return Tile("Occupancy", "n/a", "no units listed")
    units = (occupancy.occupied_units, " of ", occupancy.units, " units let; ")
    note = (units, Figure(occupancy.by_rent, "percent"), " of rent")
    return Tile("Occupancy", Figure(occupancy.by_units, "percent"), note)


def _actions(entity: Entity, ending, income) -> tuple[str, ...]:
    actions = [
        f"Let {unit.name} (unit {unit.id}): empty, {money(unit.monthly_rent)} a month of rent lost."
        for unit in rental.rent_roll(entity)
        if unit.status is UnitStatus.VACANT
    ]
    actions += [f"Renew or relet {e.unit.name}: the lease {show(_when(e.days_left))}." for e in ending]
    if income and income.noi < 0:
        actions.append(
            f"Operating costs exceed rent by {money(-income.noi)} over {len(income.months)} months."
        )
    elif income and income.cash_after_financing < 0:
        short = money(-income.cash_after_financing)
        actions.append(
            f"Rent does not cover the debt service: {short} short over {len(income.months)} months."
        )
    return tuple(actions) or ("Nothing needs action: every unit is let and no lease is about to end.",)


def _when(days_left: int) -> Phrase:
    if days_left < 0:
        return ("ended ", -days_left, " days ago")
    return "ends today" if days_left == 0 else ("ends in ", days_left, " days")


def _statement(income: rental.OperatingIncome) -> tuple[StatementLine, ...]:
    """Return the NOI statement lines: income, operating expenses, NOI, then financing below the line."""
    lines = [StatementLine(line.name, line.amount) for line in income.income]
    if len(income.income) > 1:
        lines.append(StatementLine("Total income", income.total_income))
    lines += [StatementLine(f"- {line.name}", -line.amount) for line in income.expenses]
    lines.append(StatementLine("Net operating income", income.noi))
    lines.append(StatementLine("NOI per month (average)", income.monthly_noi))
    if income.financing:
        lines += [StatementLine(f"- {line.name} (financing)", -line.amount) for line in income.financing]
        lines.append(StatementLine("Left after debt service", income.cash_after_financing))
    return tuple(lines)
