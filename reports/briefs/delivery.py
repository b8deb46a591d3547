"""Delivery brief for one delivery business: jobs by status, the P&L of the jobs done, best and worst."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import delivery
from ..analysis.months import last_full_months
from ..formatting import money, percent
from ..history import Metric
from ..model import DeliveryJob, Entity, KnowledgeBase
from ..vocabulary import JobStatus
from .rental import period

ZERO = Decimal(0)


@dataclass(frozen=True)
class DeliveryBrief:
    """Everything the delivery report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    actions: tuple[str, ...]
    entity_file: str
    by_status: tuple[delivery.StatusCount, ...]
    status_rows: tuple[tuple[str, str, str], ...]  # status, jobs, value
    job_rows: tuple[tuple[str, ...], ...]  # every job, newest first
    period: str  # the P&L months, "Nov 2025 - Oct 2026"
    pnl: delivery.DeliveryPnl | None
    pnl_rows: tuple[tuple[str, str], ...]  # the P&L statement: line, amount
    margin_bars: tuple[tuple[str, Decimal], ...]  # margin per earned job, best first
    best_and_worst: tuple[str, ...]  # "Most margin: ..." / "Least margin: ..." lines
    pnl_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity) -> DeliveryBrief:
    """Return the delivery owner's brief for `entity` as of `today`."""
    months = period(last_full_months(today, delivery.PNL_MONTHS))
    pnl = delivery.delivery_pnl(entity, kb.ledger, kb.accounts, today=today)
    by_status = delivery.jobs_by_status(entity)
    return DeliveryBrief(
        headline=_headline(pnl, entity),
        key_figures=_key_figures(pnl, entity, months),
        actions=_actions(entity, pnl, today),
        entity_file=entity.source.file,
        by_status=by_status,
        status_rows=tuple((s.status.value, str(s.jobs), money(s.revenue)) for s in by_status),
        job_rows=tuple(_job_row(job) for job in sorted(entity.jobs, key=lambda job: job.date, reverse=True)),
        period=months,
        pnl=pnl,
        pnl_rows=_statement(pnl) if pnl else (),
        margin_bars=tuple((f"{job.id} {job.client}", job.margin) for job in pnl.jobs) if pnl else (),
        best_and_worst=_best_and_worst(pnl),
        pnl_missing=None if pnl else f"no job completed and no ledger overheads in {months}",
    )


def metrics(brief: DeliveryBrief) -> dict[str, Metric]:
    """Return the delivery figures followed from one report to the next."""
    return {
        "revenue": Metric("Revenue earned", brief.pnl.revenue if brief.pnl else None, "money"),
        "margin": Metric("Margin", brief.pnl.margin if brief.pnl else None, "money"),
    }


def _jobs(count: int) -> str:
    return f"{count} job" if count == 1 else f"{count} jobs"


def _owed(entity: Entity) -> Decimal:
    return sum(
        (job.revenue for job in delivery.jobs_at(entity, JobStatus.COMPLETED, JobStatus.INVOICED)), ZERO
    )


def _headline(pnl, entity: Entity) -> str:
    if not pnl or not pnl.jobs:
        return "no delivery completed in the last twelve months"
    text = f"margin {percent(pnl.margin_rate)} ({money(pnl.margin)}) on {money(pnl.revenue)} earned"
    owed = _owed(entity)
    return f"{text}, {money(owed)} still to collect" if owed else text


def _key_figures(pnl, entity: Entity, months: str) -> tuple[tuple[str, str, str], ...]:
    pipeline = delivery.jobs_at(entity, JobStatus.QUOTED, JobStatus.BOOKED)
    unpaid = delivery.jobs_at(entity, JobStatus.COMPLETED, JobStatus.INVOICED)
    tiles = [
        ("To collect", money(_owed(entity)), f"{_jobs(len(unpaid))} done, not paid"),
        (
            "Pipeline",
            money(sum((job.revenue for job in pipeline), ZERO)),
            f"{_jobs(len(pipeline))} quoted or booked",
        ),
    ]
    if not pnl:
        return (("Revenue earned", "n/a", f"nothing earned in {months}"), *tiles)
    return (
        ("Revenue earned", money(pnl.revenue), f"{_jobs(len(pnl.jobs))}, {months}"),
        ("Margin", money(pnl.margin), f"{percent(pnl.margin_rate)} after direct costs"),
        ("After overheads", money(pnl.operating_profit), f"{money(pnl.total_overheads)} of overheads"),
        *tiles,
    )


def _actions(entity: Entity, pnl, today: date) -> tuple[str, ...]:
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


def _job_row(job: DeliveryJob) -> tuple[str, ...]:
    rate = delivery.margin_rate(job)
    return (
        job.id,
        str(job.date),
        job.client,
        job.status.value,
        money(job.revenue),
        money(job.costs),
        money(job.margin),
        percent(rate),
    )


def _statement(pnl: delivery.DeliveryPnl) -> tuple[tuple[str, str], ...]:
    """Return the P&L lines: revenue, direct costs, margin, the overheads, what is left."""
    lines = [
        (f"Revenue ({_jobs(len(pnl.jobs))} completed, invoiced or paid)", money(pnl.revenue)),
        ("- Direct costs of those jobs", money(-pnl.direct_costs)),
        (f"Margin ({percent(pnl.margin_rate)})", money(pnl.margin)),
    ]
    lines += [(f"- {line.name}", money(-line.amount)) for line in pnl.overheads]
    lines.append(("Left after overheads", money(pnl.operating_profit)))
    return tuple(lines)


def _best_and_worst(pnl) -> tuple[str, ...]:
    ranked = delivery.best_and_worst(pnl.jobs) if pnl else None
    if not ranked:
        return ()
    lines = [f"Most margin: {_describe(ranked.best)}"]
    if ranked.worst:
        lines.append(f"Least margin: {_describe(ranked.worst)}")
    return tuple(lines)


def _describe(job: DeliveryJob) -> str:
    rate = percent(delivery.margin_rate(job))
    return f"{job.id} {job.client}, {job.route}: {money(job.margin)} margin ({rate}) on {money(job.revenue)}."
