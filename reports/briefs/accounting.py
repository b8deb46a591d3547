"""Accounting brief: revenue recognition (deposits held, refunds and cancellations), the chart of
accounts, the expense audit, bookkeeping gaps and the profitability milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import bookkeeping, expenses, recognition
from ..analysis.finance import ZERO
from ..analysis.months import add_months, month_of
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase, Source
from ..vocabulary import AccountType, CostBehavior, MilestoneStatus
from . import rows
from .rows import Phrase, Tile

AHEAD, PASSED, UNDATED = "charter ahead", "charter passed: recognise now", "charter date unknown"


@dataclass(frozen=True)
class HeldRow:
    """One charter's money held as deferred revenue, and whether its charter is ahead or passed."""

    entity: str
    charter: str
    ref: str
    charter_date: date | None  # None: nobody recorded when the charter is
    received: date
    amount: Decimal
    status: str  # AHEAD | PASSED | UNDATED


@dataclass(frozen=True)
class RefundRow:
    """One refund or cancellation: money paid back, never revenue."""

    day: date
    entity: str
    charter: str
    ref: str
    kind: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class MisbookedRow:
    """A deposit booked as revenue before its charter sailed."""

    entity: str
    memo: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class AccountRow:
    """One account of the chart and its total this year (None: unused this year)."""

    code: str
    name: str
    type: AccountType
    category: str
    cost: CostBehavior | None
    year_to_date: Decimal | None


@dataclass(frozen=True)
class AuditRow:
    """One expense category (or the total) by month, its last move and its total: table and chart."""

    category: str
    by_month: tuple[Decimal, ...]
    change: Decimal | None  # None: a single month, nothing to compare
    total: Decimal


@dataclass(frozen=True)
class RoadmapRow:
    """One finance or accounting milestone and how far off it is."""

    due: date
    title: str
    target: str
    status: MilestoneStatus
    when: Phrase  # "in 12 days", "3 days late"


@dataclass(frozen=True)
class AccountingBrief:
    """Everything the accounting report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    year: int
    recognition: recognition.Recognition  # by_month is the deposits-vs-revenue table, totals the identity
    held: tuple[HeldRow, ...]
    refund_months: tuple[date, ...]  # last month and this one: the refunds listed
    refunds: tuple[RefundRow, ...]
    misbooked: tuple[MisbookedRow, ...]
    accounts: tuple[AccountRow, ...]
    unused_accounts: tuple[str, ...]
    audit: expenses.ExpenseAudit  # months and anomalies
    audit_lines: tuple[AuditRow, ...]  # one per category: the table and the chart
    audit_total: AuditRow
    audit_missing: str | None
    gaps: bookkeeping.BookkeepingGaps  # found in the ledger, stated in the handoffs
    roadmap: tuple[RoadmapRow, ...]
    roadmap_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> AccountingBrief:
    """Return the accounting officer's brief as of `today`."""
    revenue = recognition.revenue_recognition(kb.ledger, kb.accounts, today=today)
    audit = expenses.expense_audit(kb.ledger, kb.accounts, kb.assets, today=today)
    gaps = bookkeeping.bookkeeping_gaps(kb.ledger, kb.accounts, kb.projects, revenue, today=today)
    chart = bookkeeping.chart_of_accounts(kb.ledger, kb.accounts, today=today)
    roadmap = bookkeeping.profit_roadmap(kb.projects, today=today)
    return AccountingBrief(
        headline=_headline(revenue, audit, gaps),
        key_figures=_key_figures(revenue, audit, gaps, today),
        actions=_actions(revenue, audit, gaps),
        year=today.year,
        recognition=revenue,
        held=tuple(_held_row(kb, d, revenue) for d in revenue.held),
        refund_months=refund_months(today),
        refunds=_refund_rows(kb, revenue, today),
        misbooked=tuple(
            MisbookedRow(_name(kb, m.entity), m.memo, m.amount, m.source) for m in revenue.misbooked
        ),
        accounts=tuple(_account_row(line) for line in chart),
        unused_accounts=tuple(f"{line.account.code} {line.account.name}" for line in chart if not line.used),
        audit=audit,
        audit_lines=tuple(AuditRow(c.category, c.by_month, c.change, c.total) for c in audit.categories),
        audit_total=_audit_total(audit),
        audit_missing=None if audit.categories else "no expense rows in the last three full months",
        gaps=gaps,
        roadmap=tuple(_roadmap_row(step) for step in roadmap),
        roadmap_missing=None if roadmap else "no finance or accounting milestones in the handoffs",
    )


def metrics(brief: AccountingBrief) -> dict[str, Metric]:
    """Return the accounting figures followed from one report to the next."""
    return {
        "deferred": Metric("Deposits held", brief.recognition.deferred_balance, "money"),
        "anomalies": Metric("Expense anomalies", Decimal(len(brief.audit.anomalies)), "count"),
        "gaps": Metric("Bookkeeping gaps", Decimal(len(brief.gaps.found)), "count"),
    }


def _name(kb: KnowledgeBase, entity_id: str) -> str:
    found = kb.entity(entity_id)
    return found.name if found else entity_id


def _headline(revenue, audit, gaps) -> str:
    issues = len(audit.anomalies) + len(gaps.found)
    return (
        f"{issues} issue{'' if issues == 1 else 's'} to clear, "
        f"{money(revenue.deferred_balance)} deferred for {len(revenue.held)} charters"
    )


def _key_figures(revenue, audit, gaps, today) -> tuple[Tile, ...]:
    early = sum((m.amount for m in revenue.misbooked), ZERO)
    listed = [r for r in revenue.refunds if month_of(r.day) in refund_months(today)]
    return (
        Tile("Deposits held", rows.money(revenue.deferred_balance), _held_note(revenue)),
        Tile("Revenue YTD", rows.money(revenue.recognised_this_year), ("recognised in ", today.year)),
        Tile(
            "Refunds",
            rows.money(sum((r.amount for r in listed), ZERO)),
            (*rows.plural(len(listed), "refund"), " last month and this"),
        ),
        Tile(
            "Booked early",
            rows.money(early),
            (*rows.plural(len(revenue.misbooked), "deposit"), " in revenue"),
        ),
        Tile("Expense anomalies", len(audit.anomalies), "duplicates, outliers, no category/owner"),
        Tile("Bookkeeping gaps", len(gaps.found), (len(gaps.stated), " more stated in handoffs")),
    )


def _actions(revenue, audit, gaps) -> tuple[str, ...]:
    items = [
        f"Move {money(m.amount)} '{m.memo}' ({m.entity}) from revenue to deposits held [{m.source}]."
        for m in revenue.misbooked
    ]
    items += [
        f"Recognise {money(d.amount)} for '{d.charter}'{f' ({d.ref})' if d.ref else ''}: "
        f"the charter sailed on {d.service_date} [{d.source}]."
        for d in revenue.passed
    ]
    items += [f"Clear the {a.kind}: {a.description} [{a.source}]." for a in audit.anomalies]
    items += [
        f"Check the {g.kind}: {g.description} [{g.source}]." for g in gaps.found if g.kind == "missing charge"
    ]
    return tuple(items[:5])


def _held_note(revenue: recognition.Recognition) -> tuple:
    """Say how many charters are ahead, and how many have sailed with their money still held."""
    note: tuple = (*rows.plural(len(revenue.ahead), "charter"), " ahead")
    if revenue.passed:
        note += (", ", len(revenue.passed), " passed: recognise now")
    if revenue.undated:
        note += (", ", len(revenue.undated), " undated")
    return note


def _held_row(kb: KnowledgeBase, deposit: recognition.HeldDeposit, revenue) -> HeldRow:
    status = PASSED if deposit in revenue.passed else AHEAD if deposit in revenue.ahead else UNDATED
    name = _name(kb, deposit.entity)
    return HeldRow(
        name, deposit.charter, deposit.ref, deposit.service_date, deposit.received, deposit.amount, status
    )


def refund_months(today: date) -> tuple[date, date]:
    """Return the months whose refunds the report lists: the one being closed and this one."""
    return add_months(month_of(today), -1), month_of(today)


def _refund_rows(kb: KnowledgeBase, revenue: recognition.Recognition, today: date) -> tuple[RefundRow, ...]:
    return tuple(
        RefundRow(r.day, _name(kb, r.entity), r.charter, r.ref, r.kind, r.amount, r.source)
        for r in revenue.refunds
        if month_of(r.day) in refund_months(today)
    )


def _account_row(line: bookkeeping.AccountLine) -> AccountRow:
    a = line.account
    total = line.year_to_date if line.used else None
    return AccountRow(a.code, a.name, a.type, a.category, a.cost_behavior, total)


def _audit_total(audit: expenses.ExpenseAudit) -> AuditRow:
    totals = audit.monthly_totals
    change = totals[-1] - totals[-2] if len(totals) > 1 else None
    return AuditRow("Total", totals, change, sum(totals, ZERO))


def _roadmap_row(step: bookkeeping.RoadmapStep) -> RoadmapRow:
    m, left = step.milestone, step.days_left
    when = ("in ", left, " days") if left >= 0 else (-left, " days late")
    return RoadmapRow(m.due, m.title, m.target, m.status, when)
