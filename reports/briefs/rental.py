"""Rental brief for one property: rent roll, occupancy, net operating income, leases ending."""

from __future__ import annotations

from datetime import date

from ..analysis import domain
from ..formatting import money, percent
from ..history import Metric
from ..model import Entity, KnowledgeBase
from .layout import Bars, Brief, Missing, Note, Section, Table, Tile


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> Brief:
    """Return the property owner's brief for `entity` as of `today`."""
    source = f"entities/{entity.id}.md"
    roll = domain.rent_roll(entity, today=today)
    income = domain.operating_income(entity, kb.ledger, kb.accounts, today=today)
    vacant = [u for u in roll.units if u.status.value == "vacant"]
    return Brief(
        headline=f"occupancy {percent(roll.occupancy)}, NOI {money(income.monthly)}/mo",
        tiles=(
            Tile("Occupancy", percent(roll.occupancy), f"{percent(roll.rent_occupancy)} of potential rent"),
            Tile("NOI", f"{money(income.monthly)}/mo", f"{money(income.noi)} over {income.months} months"),
            Tile(
                "Rent roll", f"{money(roll.occupied_rent)}/mo", f"of {money(roll.potential_rent)} potential"
            ),
        ),
        to_do=tuple(f"Fill {u.name}: {money(u.monthly_rent)} a month while it stands empty." for u in vacant)
        + tuple(f"Renew or relet {u.name}: lease ends {u.lease_end}." for u in roll.leases_ending),
        sections=(_roll_section(roll, source), _income_section(income)),
        figures={"occupancy": roll.occupancy, "noi_monthly": income.monthly},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the rental figures followed from one report to the next."""
    return {
        "occupancy": Metric("Occupancy", brief.figures["occupancy"], "fraction"),
        "noi_monthly": Metric("NOI per month", brief.figures["noi_monthly"], "money"),
    }


def _roll_section(roll, source: str) -> Section:
    if not roll.units:
        return Section("Rent roll", source, (Missing("no units recorded for this property"),))
    rows = tuple(
        (u.id, u.name, u.status.value, money(u.monthly_rent), str(u.lease_end or "-")) for u in roll.units
    )
    return Section(
        "Rent roll", source, (Table(("Unit", "Name", "Status", "Rent", "Lease ends"), rows, right=(3,)),)
    )


def _income_section(income) -> Section:
    if not income.income and not income.expenses:
        return Section("Net operating income", "ledger.csv", (Missing("no ledger rows for this property"),))
    rows = (("Income", money(income.income)), *((f"- {c}", money(v)) for c, v in income.by_category))
    blocks = (
        Bars(tuple(income.by_category)),
        Table(("Last 12 months", "Amount"), (*rows, ("NOI", money(income.noi))), right=(1,)),
        Note("Loan payments (financing) are left out of NOI: they pay down debt, not operations."),
    )
    return Section("Net operating income, last 12 full months", "ledger.csv", blocks)
