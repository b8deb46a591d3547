"""A delivery business: its jobs by status, the P&L of the jobs done, and its best and worst jobs.

A job's direct costs are in the entity file; the ledger adds the overheads (insurance, domains)
that no single job carries. Each result keeps the `Source`s it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, DeliveryJob, Entity, LedgerRow, Source
from ..vocabulary import AccountType, CostBehavior, JobStatus
from .months import last_full_months, month_of
from .rental import FINANCING_CATEGORY, ZERO, AccountTotal, account_totals, share

EARNED = (JobStatus.COMPLETED, JobStatus.INVOICED, JobStatus.PAID)  # the passage is sailed: revenue earned
PNL_MONTHS = 12  # the P&L covers the last twelve full months


@dataclass(frozen=True)
class StatusCount:
    """How many jobs stand at one status, and what they are worth."""

    status: JobStatus
    jobs: int
    revenue: Decimal
    sources: tuple[Source, ...]


def jobs_by_status(entity: Entity) -> tuple[StatusCount, ...]:
    """Return the number and value of jobs at each status present, in the order a job moves through them."""
    counts = []
    for status in JobStatus:
        jobs = [job for job in entity.jobs if job.status is status]
        if jobs:
            revenue = sum((job.revenue for job in jobs), ZERO)
            counts.append(StatusCount(status, len(jobs), revenue, tuple(job.source for job in jobs)))
    return tuple(counts)


def jobs_at(entity: Entity, *statuses: JobStatus) -> tuple[DeliveryJob, ...]:
    """Return the jobs at any of `statuses`, oldest first (the longest waiting comes first)."""
    return tuple(sorted((job for job in entity.jobs if job.status in statuses), key=lambda job: job.date))


def margin_rate(job: DeliveryJob) -> Decimal | None:
    """Return the job's margin as a fraction of its revenue."""
    return share(job.margin, job.revenue)


@dataclass(frozen=True)
class DeliveryPnl:
    """Revenue, direct costs and margin of the jobs earned in the period, less the ledger's overheads."""

    months: tuple[date, ...]
    jobs: tuple[DeliveryJob, ...]  # the earned jobs dated in the period, best margin first
    overheads: tuple[AccountTotal, ...]  # the entity's fixed costs from the ledger, largest first
    sources: tuple[Source, ...]

    @property
    def revenue(self) -> Decimal:
        return sum((job.revenue for job in self.jobs), ZERO)

    @property
    def direct_costs(self) -> Decimal:
        return sum((job.costs for job in self.jobs), ZERO)

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.direct_costs

    @property
    def margin_rate(self) -> Decimal | None:
        return share(self.margin, self.revenue)

    @property
    def total_overheads(self) -> Decimal:
        return sum((line.amount for line in self.overheads), ZERO)

    @property
    def operating_profit(self) -> Decimal:
        return self.margin - self.total_overheads


def delivery_pnl(
    entity: Entity,
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    *,
    today: date,
    months: int = PNL_MONTHS,
) -> DeliveryPnl | None:
    """Return the P&L of the last `months` full months, or None when nothing was earned or spent in them."""
    window = tuple(last_full_months(today, months))
    jobs = sorted(
        (job for job in entity.jobs if job.status in EARNED and month_of(job.date) in window),
        key=lambda job: (-job.margin, job.date),
    )
    by_code = {account.code: account for account in accounts}
    rows = [
        row
        for row in ledger
        if row.entity == entity.id and month_of(row.date) in window and _overhead(by_code.get(row.account))
    ]
    if not jobs and not rows:
        return None
    sources = tuple(job.source for job in jobs) + tuple(row.source for row in rows)
    return DeliveryPnl(window, tuple(jobs), account_totals(rows, by_code, sign=-1), sources)


def _overhead(account: Account | None) -> bool:
    # variable costs are the jobs' direct costs, already counted per job; financing is not a cost
    return (
        account is not None
        and account.type is AccountType.EXPENSE
        and account.cost_behavior is not CostBehavior.VARIABLE
        and account.category != FINANCING_CATEGORY
    )


@dataclass(frozen=True)
class BestAndWorst:
    """The earned jobs that made the most and the least margin."""

    best: DeliveryJob
    worst: DeliveryJob | None  # None when only one job was earned


def best_and_worst(jobs: Iterable[DeliveryJob]) -> BestAndWorst | None:
    """Return the jobs with the largest and the smallest margin, or None when there are none."""
    ranked = sorted(jobs, key=lambda job: (-job.margin, job.date))
    if not ranked:
        return None
    return BestAndWorst(ranked[0], ranked[-1] if len(ranked) > 1 else None)
