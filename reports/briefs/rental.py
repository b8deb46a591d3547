"""Rental brief for one property: rent roll, occupancy, net operating income, leases ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import rental
from ..analysis.months import label, last_full_months
from ..formatting import money, percent
from ..history import Metric
from ..model import Entity, KnowledgeBase, RentalUnit
from ..vocabulary import UnitStatus

LEDGER = "ledger.csv"


@dataclass(frozen=True)
class RentalBrief:
    """Everything the rental report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    actions: tuple[str, ...]
    entity_file: str
    occupancy: rental.Occupancy | None
    roll_rows: tuple[tuple[str, ...], ...]  # unit, name, status, rent, lease end
    leases_ending: tuple[rental.LeaseEnding, ...]
    lease_rows: tuple[tuple[str, ...], ...]  # unit, name, lease end, when, rent
    lease_horizon_days: int
    period: str  # the NOI months, "Nov 2025 - Oct 2026"
    income: rental.OperatingIncome | None
    income_rows: tuple[tuple[str, str], ...]  # the NOI statement: line, amount
    month_rows: tuple[tuple[str, Decimal, Decimal], ...]  # month, income, operating expenses
    income_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> RentalBrief:
    """Return the property owner's brief for `entity` as of `today`."""
    occupancy = rental.occupancy(entity)
    ending = rental.leases_ending(entity, today=today)
    income = rental.net_operating_income(entity.id, kb.ledger, kb.accounts, today=today)
    months = period(last_full_months(today, rental.NOI_MONTHS))
    return RentalBrief(
        headline=_headline(occupancy, income),
        key_figures=_key_figures(occupancy, income, months),
        actions=_actions(entity, ending, income),
        entity_file=entity.source.file,
        occupancy=occupancy,
        roll_rows=tuple(_roll_row(unit) for unit in rental.rent_roll(entity)),
        leases_ending=ending,
        lease_rows=tuple(
            (e.unit.id, e.unit.name, str(e.unit.lease_end), _when(e.days_left), money(e.unit.monthly_rent))
            for e in ending
        ),
        lease_horizon_days=rental.LEASE_HORIZON_DAYS,
        period=months,
        income=income,
        income_rows=_statement(income) if income else (),
        month_rows=tuple((label(m.month), m.income, m.expenses) for m in income.by_month) if income else (),
        income_missing=None if income else f"no ledger rows on revenue or expense accounts for {months}",
    )


def metrics(brief: RentalBrief) -> dict[str, Metric]:
    """Return the rental figures followed from one report to the next."""
    occupancy = brief.occupancy.by_units if brief.occupancy else None
    noi = brief.income.monthly_noi if brief.income else None
    return {
        "occupancy": Metric("Occupancy", occupancy, "fraction"),
        "noi_monthly": Metric("NOI per month", noi, "money"),
    }


def period(months: list[date]) -> str:
    """Return a run of months as `Nov 2025 - Oct 2026`."""
    return f"{months[0]:%b %Y} - {months[-1]:%b %Y}"


def _headline(occupancy, income) -> str:
    parts = [f"{percent(occupancy.by_units)} occupied" if occupancy else "no units listed"]
    parts.append(f"NOI {money(income.monthly_noi)}/mo" if income else "no NOI: no ledger rows")
    if occupancy and occupancy.vacant_rent:
        parts.append(f"{money(occupancy.vacant_rent)}/mo of rent lost to vacancy")
    return ", ".join(parts)


def _key_figures(occupancy, income, months: str) -> tuple[tuple[str, str, str], ...]:
    if occupancy:
        units = f"{occupancy.occupied_units} of {occupancy.units} units let"
        tiles = [("Occupancy", percent(occupancy.by_units), f"{units}; {percent(occupancy.by_rent)} of rent")]
        tiles.append(
            (
                "Vacancy cost",
                f"{money(occupancy.vacant_rent)}/mo",
                f"of {money(occupancy.potential_rent)} potential rent",
            )
        )
    else:
        tiles = [("Occupancy", "n/a", "no units listed")]
    if income:
        tiles.insert(1, ("NOI", f"{money(income.monthly_noi)}/mo", f"{money(income.noi)} over {months}"))
    else:
        tiles.insert(1, ("NOI", "n/a", f"no ledger rows for {months}"))
    return tuple(tiles)


def _actions(entity: Entity, ending, income) -> tuple[str, ...]:
    actions = [
        f"Let {unit.name} (unit {unit.id}): empty, {money(unit.monthly_rent)} a month of rent lost."
        for unit in rental.rent_roll(entity)
        if unit.status is UnitStatus.VACANT
    ]
    actions += [f"Renew or relet {e.unit.name}: the lease {_when(e.days_left)}." for e in ending]
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


def _when(days_left: int) -> str:
    if days_left < 0:
        return f"ended {-days_left} days ago"
    return "ends today" if days_left == 0 else f"ends in {days_left} days"


def _roll_row(unit: RentalUnit) -> tuple[str, ...]:
    return (unit.id, unit.name, unit.status.value, money(unit.monthly_rent), str(unit.lease_end or "-"))


def _statement(income: rental.OperatingIncome) -> tuple[tuple[str, str], ...]:
    """Return the NOI statement lines: income, operating expenses, NOI, then financing below the line."""
    lines = [(line.name, money(line.amount)) for line in income.income]
    if len(income.income) > 1:
        lines.append(("Total income", money(income.total_income)))
    lines += [(f"- {line.name}", money(-line.amount)) for line in income.expenses]
    lines.append(("Net operating income", money(income.noi)))
    lines.append(("NOI per month (average)", money(income.monthly_noi)))
    if income.financing:
        lines += [(f"- {line.name} (financing)", money(-line.amount)) for line in income.financing]
        lines.append(("Left after debt service", money(income.cash_after_financing)))
    return tuple(lines)
