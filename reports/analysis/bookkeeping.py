"""The books: the chart of accounts in use, bookkeeping gaps, and the milestones to profit.

Bookkeeping gaps: what the books' keepers say is missing, and what the ledger itself shows.

Found in the ledger, by general rules documented here: a fixed monthly charge (an entity's rows on
a fixed-cost expense account in each of the RECURRING_MONTHS months before) with no row in an
audited month; deposits still held after their charter day; revenue booked before the charter;
rows without a memo. Stated by the handoffs: shortfalls in the accounting area, and finance or
accounting KPIs nobody tracks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Account, Kpi, LedgerRow, Milestone, Project, Shortfall, Source
from ..vocabulary import AccountType, Area, CostBehavior
from .months import add_months, last_full_months, month_of
from .recognition import Recognition

RECURRING_MONTHS = 3
BOOKS_AREAS = frozenset({Area.FINANCE, Area.ACCOUNTING})


@dataclass(frozen=True)
class Gap:
    """One gap in the books, said as the fix it needs, and where it shows."""

    kind: str  # missing charge | deposit not recognised | revenue before the charter | no memo
    description: str
    source: Source


@dataclass(frozen=True)
class BookkeepingGaps:
    """The gaps found in the ledger, and those the handoffs state."""

    found: tuple[Gap, ...]
    stated: tuple[Shortfall, ...]  # accounting-area shortfalls, most severe first
    untracked_kpis: tuple[Kpi, ...]  # finance and accounting KPIs with no current value


def bookkeeping_gaps(
    ledger: Iterable[LedgerRow],
    accounts: Iterable[Account],
    projects: Iterable[Project],
    recognition: Recognition,
    *,
    today: date,
    months: int = 3,
) -> BookkeepingGaps:
    """Return the gaps in the books for the last `months` full months, found and stated."""
    ledger, projects = list(ledger), list(projects)
    window = last_full_months(today, months)
    found = (
        missing_charges(ledger, accounts, window)
        + recognition_gaps(recognition)
        + [
            Gap(
                "no memo", f"{row.date} {row.entity} {row.account}: {row.amount:,.2f} has no memo", row.source
            )
            for row in ledger
            if not row.memo.strip() and month_of(row.date) in window
        ]
    )
    stated = sorted(
        (s for p in projects for s in p.shortfalls if s.area is Area.ACCOUNTING),
        key=lambda s: s.severity.rank,
    )
    untracked = [k for p in projects for k in p.kpis if k.area in BOOKS_AREAS and not k.tracked]
    return BookkeepingGaps(tuple(found), tuple(stated), tuple(untracked))


def missing_charges(ledger: list[LedgerRow], accounts: Iterable[Account], window: list[date]) -> list[Gap]:
    """Return the fixed monthly charges that have a row every month before but none in an audited month."""
    fixed = {
        a.code: a for a in accounts if a.type is AccountType.EXPENSE and a.cost_behavior is CostBehavior.FIXED
    }
    series: dict[tuple[str, str], list[LedgerRow]] = {}
    for row in sorted((r for r in ledger if r.account in fixed), key=lambda r: r.date):
        series.setdefault((row.entity, row.account), []).append(row)
    gaps = []
    for month in window:
        before = {add_months(month, -offset) for offset in range(1, RECURRING_MONTHS + 1)}
        for (entity, code), rows in sorted(series.items()):
            seen = {month_of(row.date) for row in rows}
            if before <= seen and month not in seen:
                previous = [row for row in rows if row.date < month][-1]
                text = f"no {fixed[code].name} row for {entity} in {month:%B %Y}; each month before had one"
                gaps.append(Gap("missing charge", text, previous.source))
    return gaps


def recognition_gaps(recognition: Recognition) -> list[Gap]:
    """Return money held after its charter sailed, and revenue booked before its charter."""
    passed = [
        Gap(
            "deposit not recognised",
            f"{d.entity}: {d.amount:,.2f} for '{d.charter}'{_ref(d.ref)} still held after {d.service_date}",
            d.source,
        )
        for d in recognition.passed
    ]
    early = [
        Gap(
            "revenue before the charter",
            f"{m.entity}: {m.amount:,.2f} '{m.memo}' booked as revenue",
            m.source,
        )
        for m in recognition.misbooked
    ]
    return passed + early


def _ref(ref: str) -> str:
    return f" ({ref})" if ref else ""


@dataclass(frozen=True)
class AccountLine:
    """One account of the chart with its year-to-date total and how many rows used it."""

    account: Account
    year_to_date: Decimal
    rows: int

    @property
    def used(self) -> bool:
        return self.rows > 0


@dataclass(frozen=True)
class RoadmapStep:
    """A finance or accounting milestone on the road to profit, and how far off it is."""

    milestone: Milestone
    project: str  # the handoff file it comes from
    days_left: int  # negative: past due


def chart_of_accounts(
    ledger: Iterable[LedgerRow], accounts: Iterable[Account], *, today: date
) -> tuple[AccountLine, ...]:
    """Return every account with its total from January 1 to today, in chart order."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for row in ledger:
        if row.date.year == today.year and row.date <= today:
            totals[row.account] += row.amount
            counts[row.account] += 1
    return tuple(AccountLine(a, totals[a.code], counts[a.code]) for a in accounts)


def profit_roadmap(projects: Iterable[Project], *, today: date) -> tuple[RoadmapStep, ...]:
    """Return the finance and accounting milestones of every handoff, soonest first."""
    steps = [
        RoadmapStep(m, p.source.file, (m.due - today).days)
        for p in projects
        for m in p.milestones
        if m.area in BOOKS_AREAS
    ]
    return tuple(sorted(steps, key=lambda step: (step.milestone.due, step.milestone.title)))
