"""Delivery brief for one delivery business: jobs by status, the P&L of the jobs done, best and worst."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import delivery, periods
from ..analysis.months import span
from ..analysis.provenance import Provenance, lines
from ..formatting import Figure, money, percent, period
from ..history import Metric
from ..model import DeliveryJob, Entity, KnowledgeBase
from ..vocabulary import JobStatus
from . import rows
from .rows import Bar, StatementLine, Tile

ZERO = Decimal(0)


@dataclass(frozen=True)
class JobRow:
    """One delivery job: what it earns, costs and leaves, and its margin as a share of revenue."""

    id: str
    date: date
    client: str
    status: JobStatus
    revenue: Decimal
    costs: Decimal
    margin: Decimal
    rate: Decimal | None  # None: a job with no revenue


@dataclass(frozen=True)
class DeliveryBrief:
    """Everything the delivery report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    provenance: dict[str, Provenance]  # each followed figure: its rows, window and cut-off
    entity_file: str
    by_status: tuple[delivery.StatusCount, ...]
    jobs: tuple[JobRow, ...]  # every job, newest first
    months: tuple[date, ...]  # the P&L months, oldest first
    covers: str  # what the ledger's overheads cover: "Mar 2025-Feb 2026", or with the months not entered
    pnl: delivery.DeliveryPnl | None
    statement: tuple[StatementLine, ...]  # the P&L statement
    margin_bars: tuple[Bar, ...]  # margin per earned job, best first
    best_and_worst: tuple[str, ...]  # "Best margin: ..." / "Least margin: ..." lines, by margin %
    pnl_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity, sent: date | None = None) -> DeliveryBrief:
    """Return the delivery owner's brief for `entity`: figures as of `today`, ages counted from `sent`."""
    found = periods.last_full(kb.ledger, today, delivery.PNL_MONTHS)
    months = found.months
    pnl = delivery.delivery_pnl(entity, kb.ledger, kb.accounts, today=today)
    return DeliveryBrief(
        headline=_headline(pnl, entity),
        key_figures=_key_figures(pnl, entity, periods.describe(found)),
        actions=_actions(entity, pnl, sent or today),
        provenance=_provenance(entity, pnl, found, today),
        entity_file=entity.source.file,
        by_status=delivery.jobs_by_status(entity),
        jobs=tuple(_job_row(job) for job in sorted(entity.jobs, key=lambda job: job.date, reverse=True)),
        months=months,
        covers=periods.describe(found),
        pnl=pnl,
        statement=_statement(pnl) if pnl else (),
        margin_bars=tuple(Bar(f"{job.id} {job.client}", job.margin) for job in pnl.jobs) if pnl else (),
        best_and_worst=_best_and_worst(pnl),
        pnl_missing=None if pnl else f"no job completed and no ledger overheads in {period(months)}",
    )


def metrics(brief: DeliveryBrief) -> dict[str, Metric]:
    """Return the delivery figures followed from one report to the next."""
    return {
        "revenue": Metric("Revenue earned", brief.pnl.revenue if brief.pnl else None, "money"),
        "margin": Metric("Margin", brief.pnl.margin if brief.pnl else None, "money"),
    }


def _owed(entity: Entity) -> Decimal:
    return sum(
        (job.revenue for job in delivery.jobs_at(entity, JobStatus.COMPLETED, JobStatus.INVOICED)), ZERO
    )


def _headline(pnl, entity: Entity) -> str:
    if not pnl or not pnl.jobs:
        return "no delivery completed in the last twelve full months"
    text = f"margin {percent(pnl.margin_rate)} ({money(pnl.margin)}) on {money(pnl.revenue)} earned"
    owed = _owed(entity)
    return f"{text}, {money(owed)} still to collect" if owed else text


def _key_figures(pnl, entity: Entity, covers: str) -> tuple[Tile, ...]:
    pipeline = delivery.jobs_at(entity, JobStatus.QUOTED, JobStatus.BOOKED)
    unpaid = delivery.jobs_at(entity, JobStatus.COMPLETED, JobStatus.INVOICED)
    waiting = (
        Tile("To collect", rows.money(_owed(entity)), (rows.plural(len(unpaid), "job"), " done, not paid")),
        Tile(
            "Pipeline",
            rows.money(sum((job.revenue for job in pipeline), ZERO)),
            (rows.plural(len(pipeline), "job"), " quoted or booked"),
        ),
    )
    return (*_earned_tiles(pnl, covers), *waiting)


def _earned_tiles(pnl, months: str) -> tuple[Tile, ...]:
    """What the jobs done in the period earned and left after overheads (n/a when none were)."""
    if not pnl:
        return (Tile("Revenue earned", "n/a", ("nothing earned in ", months)),)
    jobs = (rows.plural(len(pnl.jobs), "job"), ", ", months)
    overheads = (rows.money(pnl.total_overheads), " of overheads")
    return (
        Tile("Revenue earned", rows.money(pnl.revenue), jobs),
        Tile("Margin", rows.money(pnl.margin), (Figure(pnl.margin_rate, "percent"), " after direct costs")),
        Tile("After overheads", rows.money(pnl.operating_profit), overheads),
    )


def _provenance(entity: Entity, pnl, found: periods.Window, today: date) -> dict[str, Provenance]:
    """Where revenue and margin come from: the jobs earned in the window, from the entity file (the
    ledger's months do not move them, so they are never provisional)."""
    jobs = lines(job.source for job in pnl.jobs) if pnl else ""
    source = Provenance(
        jobs or f"{entity.source.file} (no job earned)", span(found.months, years=True), today
    )
    return {"revenue": source, "margin": source}


def _actions(entity: Entity, pnl, today: date) -> tuple[str, ...]:
    """What to do; `today` is the send date, from which the ages are counted."""
    actions = [
        f"Invoice {job.id} for {job.client}: {money(job.revenue)}, done {(today - job.date).days} days ago."
        for job in delivery.jobs_at(entity, JobStatus.COMPLETED)
    ]
    actions += [
        f"Collect {job.id} from {job.client}: {money(job.revenue)} invoiced, job of {job.date}"
        f" ({(today - job.date).days} days ago)."
        for job in delivery.jobs_at(entity, JobStatus.INVOICED)
    ]
    actions += [
        f"Confirm the quote {job.id} for {job.client} ({job.route}, {job.date}):"
        f" {money(job.revenue)}, {money(job.margin)} margin."
        for job in delivery.jobs_at(entity, JobStatus.QUOTED)
    ]
    if pnl:
        actions += [
            f"Review {job.id} for {job.client}: it lost {money(-job.margin)}."
            for job in pnl.jobs
            if job.margin < 0
        ]
        if pnl.operating_profit < 0:
            actions.append(
                f"Overheads exceed the jobs' margin by {money(-pnl.operating_profit)}"
                f" over {len(pnl.months)} months."
            )
    return tuple(actions) or ("Nothing needs action: every job is paid and no quote is waiting.",)


def _job_row(job: DeliveryJob) -> JobRow:
    rate = delivery.margin_rate(job)
    return JobRow(job.id, job.date, job.client, job.status, job.revenue, job.costs, job.margin, rate)


def _statement(pnl: delivery.DeliveryPnl) -> tuple[StatementLine, ...]:
    """Return the P&L lines: revenue, direct costs, margin, the overheads, what is left."""
    lines = [
        StatementLine(
            ("Revenue (", rows.plural(len(pnl.jobs), "job"), " completed, invoiced or paid)"), pnl.revenue
        ),
        StatementLine("- Direct costs of those jobs", -pnl.direct_costs),
        StatementLine(("Margin (", Figure(pnl.margin_rate, "percent"), ")"), pnl.margin),
    ]
    lines += [StatementLine(f"- {line.name}", -line.amount) for line in pnl.overheads]
    lines.append(StatementLine("Left after overheads", pnl.operating_profit))
    return tuple(lines)


def _best_and_worst(pnl) -> tuple[str, ...]:
    """Return the "Best margin" and "Least margin" lines, the jobs ranked by margin as a share of
    revenue (the percent they print), the earlier job first on a tie."""
    jobs = sorted(pnl.jobs if pnl else (), key=lambda job: (-(delivery.margin_rate(job) or 0), job.date))
    if not jobs:
        return ()
    lines = [f"Best margin: {_describe(jobs[0])}"]
    if len(jobs) > 1:
        lines.append(f"Least margin: {_describe(jobs[-1])}")
    return tuple(lines)


def _describe(job: DeliveryJob) -> str:
    rate = percent(delivery.margin_rate(job))
    return f"{job.id} {job.client}, {job.route}: {rate} ({money(job.margin)} on {money(job.revenue)})."
