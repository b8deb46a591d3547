"""Accounting brief: revenue recognition, the chart of accounts, the expense audit, bookkeeping gaps
and the profitability milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import bookkeeping, expenses, recognition
from ..analysis.finance import ZERO
from ..analysis.months import label
from ..formatting import money, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase


@dataclass(frozen=True)
class AccountingBrief:
    """Everything the accounting report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    actions: tuple[str, ...]
    year: int
    recognition: recognition.Recognition
    held_rows: tuple[tuple[str, ...], ...]  # entity, charter, charter date, received, amount, status
    recognition_rows: tuple[tuple[str, ...], ...]  # month, deposits in, deposits recognised, revenue
    misbooked_rows: tuple[tuple[str, ...], ...]  # entity, memo, amount, row
    account_rows: tuple[tuple[str, ...], ...]  # code, name, type, category, behaviour, year to date
    unused_accounts: tuple[str, ...]
    audit: expenses.ExpenseAudit
    audit_period: str
    audit_rows: tuple[tuple[str, ...], ...]  # category, one figure per month, change
    audit_headers: tuple[str, ...]
    audit_chart: tuple[tuple[str, Decimal], ...]  # category, total over the period
    anomaly_rows: tuple[tuple[str, ...], ...]  # kind, what, amount, row
    audit_missing: str | None
    gaps: bookkeeping.BookkeepingGaps
    gap_rows: tuple[tuple[str, ...], ...]  # kind, what, row
    stated_rows: tuple[tuple[str, ...], ...]  # severity, shortfall, detail
    roadmap_rows: tuple[tuple[str, ...], ...]  # due, milestone, target, status, when
    roadmap_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> AccountingBrief:
    """Return the accounting officer's brief as of `today`."""
    revenue = recognition.revenue_recognition(kb.ledger, kb.accounts, today=today)
    audit = expenses.expense_audit(kb.ledger, kb.accounts, kb.assets, today=today)
    gaps = bookkeeping.bookkeeping_gaps(kb.ledger, kb.accounts, kb.projects, revenue, today=today)
    chart = bookkeeping.chart_of_accounts(kb.ledger, kb.accounts, today=today)
    roadmap = bookkeeping.profit_roadmap(kb.projects, today=today)
    months = [label(m) for m in audit.months]
    return AccountingBrief(
        headline=_headline(revenue, audit, gaps),
        key_figures=_key_figures(revenue, audit, gaps, today),
        actions=_actions(revenue, audit, gaps),
        year=today.year,
        recognition=revenue,
        held_rows=tuple(_held_row(kb, d, revenue) for d in revenue.held),
        recognition_rows=tuple(
            (label(m.month), money(m.received), money(m.recognised_deposits), money(m.revenue))
            for m in revenue.by_month
        ),
        misbooked_rows=tuple(
            (_name(kb, m.entity), m.memo, money(m.amount), str(m.source)) for m in revenue.misbooked
        ),
        account_rows=tuple(_account_row(line) for line in chart),
        unused_accounts=tuple(f"{line.account.code} {line.account.name}" for line in chart if not line.used),
        audit=audit,
        audit_period=f"{months[0]} - {months[-1]}",
        audit_rows=(
            *(
                (line.category, *(money(v) for v in line.by_month), signed_money(line.change))
                for line in audit.categories
            ),
            ("Total", *(money(v) for v in audit.monthly_totals), _total_change(audit)),
        ),
        audit_headers=("Category", *months, "Change"),
        audit_chart=tuple((line.category, line.total) for line in audit.categories),
        anomaly_rows=tuple(
            (a.kind, a.description, money(a.amount, cents=True), str(a.source)) for a in audit.anomalies
        ),
        audit_missing=None if audit.categories else "no expense rows in the last three full months",
        gaps=gaps,
        gap_rows=tuple((g.kind, g.description, str(g.source)) for g in gaps.found),
        stated_rows=tuple((s.severity.value, s.title, s.detail) for s in gaps.stated),
        roadmap_rows=tuple(_roadmap_row(step) for step in roadmap),
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
        f"{money(revenue.deferred_balance)} of deposits deferred for {len(revenue.held)} charters, "
        f"{issues} bookkeeping issues to clear"
    )


def _key_figures(revenue, audit, gaps, today) -> tuple[tuple[str, str, str], ...]:
    early = sum((m.amount for m in revenue.misbooked), ZERO)
    return (
        ("Deposits held", money(revenue.deferred_balance), f"{len(revenue.held)} charters not yet sailed"),
        ("Revenue YTD", money(revenue.recognised_this_year), f"recognised in {today.year}"),
        ("Booked early", money(early), f"{len(revenue.misbooked)} deposit(s) in revenue"),
        ("Expense anomalies", str(len(audit.anomalies)), "duplicates, outliers, no category/owner"),
        ("Bookkeeping gaps", str(len(gaps.found)), f"{len(gaps.stated)} more stated in handoffs"),
    )


def _actions(revenue, audit, gaps) -> tuple[str, ...]:
    items = [
        f"Move {money(m.amount)} '{m.memo}' ({m.entity}) from revenue to deposits held [{m.source}]."
        for m in revenue.misbooked
    ]
    items += [
        f"Recognise {money(d.amount)} for '{d.charter}': the charter has sailed." for d in revenue.overdue
    ]
    items += [f"Clear the {a.kind}: {a.description} [{a.source}]." for a in audit.anomalies]
    items += [
        f"Check the {g.kind}: {g.description} [{g.source}]." for g in gaps.found if g.kind == "missing charge"
    ]
    return tuple(items[:5])


def _held_row(kb: KnowledgeBase, deposit, revenue) -> tuple[str, ...]:
    status = "OVERDUE: recognise now" if deposit in revenue.overdue else "held until the charter"
    when = str(deposit.service_date) if deposit.service_date else "unknown"
    return (
        _name(kb, deposit.entity),
        deposit.charter,
        when,
        str(deposit.received),
        money(deposit.amount),
        status,
    )


def _account_row(line: bookkeeping.AccountLine) -> tuple[str, ...]:
    a = line.account
    behaviour = a.cost_behavior.value if a.cost_behavior else ""
    total = money(line.year_to_date) if line.used else "unused"
    return (a.code, a.name, a.type.value, a.category, behaviour, total)


def _total_change(audit: expenses.ExpenseAudit) -> str:
    totals = audit.monthly_totals
    return signed_money(totals[-1] - totals[-2]) if len(totals) > 1 else ""


def _roadmap_row(step: bookkeeping.RoadmapStep) -> tuple[str, ...]:
    m = step.milestone
    when = f"in {step.days_left} days" if step.days_left >= 0 else f"{-step.days_left} days late"
    return (str(m.due), m.title, m.target, m.status.value.replace("_", " "), when)
