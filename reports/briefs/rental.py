"""Rental brief for one property: rent roll, occupancy, net operating income, leases ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import periods, rental
from ..analysis.provenance import Provenance, at, over
from ..formatting import Figure, long_month, money, percent, period, show
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
    provenance: dict[str, Provenance]  # each followed figure: its rows, window and cut-off
    entity_file: str
    occupancy: rental.Occupancy | None
    roll: tuple[RentalUnit, ...]  # vacant units first, then by rent
    leases_ending: tuple[LeaseRow, ...]
    lease_horizon_days: int
    months: tuple[date, ...]  # the NOI window's months, oldest first (entered or not)
    covers: str  # what NOI averages: "Mar 2025-Feb 2026", or with the months not entered
    income: rental.OperatingIncome | None  # by_month is the income-vs-expenses chart
    statement: tuple[StatementLine, ...]  # the NOI statement
    income_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity, sent: date | None = None) -> RentalBrief:
    """Return the property owner's brief for `entity`: figures as of `today`, lease ends counted from
    `sent` (the send)."""
    occupancy = rental.occupancy(entity)
    ending = rental.leases_ending(entity, today=sent or today)
    found = periods.last_full(kb.ledger, today, rental.NOI_MONTHS)
    income = rental.net_operating_income(entity.id, kb.ledger, kb.accounts, today=today, window=found.covered)
    covers = periods.describe(found)
    return RentalBrief(
        headline=_headline(
            occupancy, income, None if found.complete else covers, _latest_loss(kb, entity, found, today)
        ),
        key_figures=_key_figures(occupancy, income, covers),
        actions=_actions(entity, ending, income),
        provenance=_provenance(entity, occupancy, income, found, today),
        entity_file=entity.source.file,
        occupancy=occupancy,
        roll=rental.rent_roll(entity),
        leases_ending=tuple(
            LeaseRow(e.unit.id, e.unit.name, e.unit.lease_end, _when(e.days_left), e.unit.monthly_rent)
            for e in ending
        ),
        lease_horizon_days=rental.LEASE_HORIZON_DAYS,
        months=found.months,
        covers=covers,
        income=income,
        statement=_statement(income) if income else (),
        income_missing=None
        if income
        else f"no ledger rows on revenue or expense accounts for {period(found.months)}",
    )


def metrics(brief: RentalBrief) -> dict[str, Metric]:
    """Return the rental figures followed from one report to the next."""
    occupancy = brief.occupancy.by_units if brief.occupancy else None
    noi = brief.income.monthly_noi if brief.income else None
    return {
        "occupancy": Metric("Occupancy", occupancy, "fraction"),
        "noi_monthly": Metric("NOI per month", noi, "money"),
    }


def _headline(occupancy, income, gaps: str | None, latest_loss: str | None = None) -> str:
    parts = [f"{percent(occupancy.by_units)} occupied" if occupancy else "no units listed"]
    if latest_loss:  # before the twelve-month average, which would hide it
        parts.append(latest_loss)
    noi = f"NOI {money(income.monthly_noi)}/mo" + (f" ({gaps})" if gaps else "") if income else None
    parts.append(noi or "no NOI: no ledger rows")
    if occupancy and occupancy.vacant_rent:
        parts.append(f"{money(occupancy.vacant_rent)}/mo of rent lost to vacancy")
    return ", ".join(parts)


def _latest_loss(kb: KnowledgeBase, entity: Entity, found, today: date) -> str | None:
    """Return "Oct 2026 lost $512 after debt service" when the latest entered month's NOI, less
    that month's debt service, is below zero; else None."""
    if not found.covered:
        return None
    latest = max(found.covered)
    month = rental.net_operating_income(entity.id, kb.ledger, kb.accounts, today=today, window=(latest,))
    if month is None or month.cash_after_financing >= 0:
        return None
    return f"{long_month(latest)} lost {money(-month.cash_after_financing)} after debt service"


def _key_figures(occupancy, income, covers: str) -> tuple[Tile, ...]:
    tiles = [_occupancy_tile(occupancy)]
    if occupancy:
        rent = ("of ", rows.money(occupancy.potential_rent), " potential rent")
        tiles.append(Tile("Vacancy cost", rows.per_month(occupancy.vacant_rent), rent))
    if income:
        total = (rows.money(income.noi), " over ", covers)
        tiles.insert(1, Tile("NOI", rows.per_month(income.monthly_noi), total))
    else:
        tiles.insert(1, Tile("NOI", "n/a", ("no ledger rows for ", covers)))
    return tuple(tiles)


def _provenance(entity, occupancy, income, found, today) -> dict[str, Provenance]:
    """Where occupancy (the rent roll) and NOI (the property's ledger rows) come from."""
    units = occupancy.sources if occupancy else ()
    return {
        "occupancy": at(units, today, fallback=f"{entity.source.file} (no units)"),
        "noi_monthly": over(income.sources if income else (), found, today, fallback="ledger.csv (no rows)"),
    }


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
