"""Delivery brief for one delivery business: the jobs, their P&L and margin."""

from __future__ import annotations

from datetime import date

from ..analysis import domain
from ..formatting import money, percent
from ..history import Metric
from ..model import Entity, KnowledgeBase
from .layout import Bars, Brief, Missing, Section, Table, Tile


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> Brief:
    """Return the delivery owner's brief for `entity` as of `today`."""
    source = f"entities/{entity.id}.md"
    book = domain.delivery_book(entity)
    open_jobs = [j for j in book.jobs if j.status.value in ("quoted", "booked", "invoiced")]
    return Brief(
        headline=f"margin {percent(book.margin_rate)} on {money(book.revenue)} earned",
        tiles=(
            Tile("Revenue earned", money(book.revenue), f"{len(book.earned)} jobs done"),
            Tile("Margin", money(book.margin), f"{percent(book.margin_rate)} after direct costs"),
            Tile("Open jobs", str(len(open_jobs)), "quoted, booked or invoiced"),
        ),
        to_do=tuple(
            f"{j.status.value.capitalize()}: {j.client}, {j.route} ({money(j.revenue)})." for j in open_jobs
        ),
        sections=(_jobs_section(book, source), _pnl_section(book, source)),
        figures={"revenue": book.revenue, "margin": book.margin},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the delivery figures followed from one report to the next."""
    return {
        "revenue": Metric("Revenue earned", brief.figures["revenue"], "money"),
        "margin": Metric("Margin", brief.figures["margin"], "money"),
    }


def _jobs_section(book, source: str) -> Section:
    if not book.jobs:
        return Section("Jobs", source, (Missing("no jobs recorded"),))
    rows = tuple(
        (str(j.date), j.client, j.route, j.status.value, money(j.revenue), money(j.costs), money(j.margin))
        for j in book.jobs
    )
    table = Table(("Date", "Client", "Route", "Status", "Revenue", "Costs", "Margin"), rows, right=(4, 5, 6))
    return Section("Jobs", source, (table,))


def _pnl_section(book, source: str) -> Section:
    if not book.earned:
        return Section("P&L", source, (Missing("no completed jobs yet"),))
    chart = Bars(
        tuple((f"{j.date} {j.client}", j.margin) for j in sorted(book.earned, key=lambda j: -j.margin))
    )
    table = Table(
        ("Earned jobs", "Amount"),
        (
            ("Revenue", money(book.revenue)),
            ("Direct costs", money(book.direct_costs)),
            ("Margin", money(book.margin)),
        ),
        right=(1,),
    )
    return Section("P&L of earned jobs: margin by job", source, (chart, table))
