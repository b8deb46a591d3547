"""Accounting brief: revenue recognition, the chart of accounts, the expense audit, bookkeeping
gaps and the profitability milestones."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..analysis import expenses, priorities, recognition
from ..analysis.finance import ZERO
from ..analysis.months import label
from ..formatting import money, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area
from .layout import Bars, Brief, Missing, Note, Section, Table, Tile

LEDGER, ACCOUNTS, PROJECTS = "ledger.csv", "accounts.csv", "projects/*.md (milestones)"


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> Brief:
    """Return the accounting officer's brief as of `today`."""
    revenue = recognition.revenue_recognition(kb.ledger, kb.accounts, today=today)
    audit = expenses.expense_audit(kb.ledger, kb.accounts, kb.assets, today=today)
    roadmap = priorities.milestones(kb.projects, areas={Area.FINANCE, Area.ACCOUNTING})
    return Brief(
        headline=f"{len(audit.anomalies)} bookkeeping anomalies, {money(revenue.deferred_balance)} deferred",
        tiles=(
            Tile("Deposits held", money(revenue.deferred_balance), f"{len(revenue.held)} future charters"),
            Tile("Revenue YTD", money(revenue.recognised_this_year), f"recognised in {today.year}"),
            Tile("Anomalies", str(len(audit.anomalies)), "uncategorised, duplicate, unowned"),
        ),
        to_do=tuple(
            [
                f"Move {money(m.amount)} ({m.memo}) from revenue to deferred deposits."
                for m in revenue.misbooked
            ]
            + [f"Resolve {a.kind}: {a.description} ({a.source})." for a in audit.anomalies]
        )[:5],
        sections=(
            _recognition_section(revenue),
            _audit_section(audit),
            _anomaly_section(audit),
            _chart_section(kb, today),
            _roadmap_section(roadmap),
        ),
        figures={"deferred": revenue.deferred_balance, "anomalies": len(audit.anomalies)},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the accounting figures followed from one report to the next."""
    return {
        "deferred": Metric("Deposits held", brief.figures["deferred"], "money"),
        "anomalies": Metric("Anomalies", brief.figures["anomalies"], "count"),
    }


def _recognition_section(revenue) -> Section:
    blocks = []
    if revenue.held:
        rows = tuple((d.entity, d.charter, str(d.received), money(d.amount)) for d in revenue.held)
        blocks.append(Table(("Entity", "Charter", "Received", "Held"), rows, right=(3,)))
    else:
        blocks.append(Note("No deposits are held for future charters in the deferred-revenue account."))
    for m in revenue.misbooked:
        blocks.append(
            Note(
                f"{m.entity}: {money(m.amount)} '{m.memo}' was booked as revenue "
                f"before the charter ({m.source}).",
                "bad",
            )
        )
    return Section("Revenue recognition: deposits vs earned revenue", LEDGER, tuple(blocks))


def _audit_section(audit) -> Section:
    if not audit.categories:
        return Section(
            "Expenses by category", LEDGER, (Missing("no expense rows in the last three full months"),)
        )
    months = [label(m) for m in audit.months]
    rows = tuple(
        (line.category, *(money(v) for v in line.by_month), signed_money(line.change))
        for line in audit.categories
    )
    table = Table(("Category", *months, "Change"), rows, right=tuple(range(1, len(months) + 2)))
    chart = Bars(tuple((line.category, line.total) for line in audit.categories))
    return Section(f"Expenses by category, {months[0]} to {months[-1]}", LEDGER, (chart, table))


def _anomaly_section(audit) -> Section:
    if not audit.anomalies:
        return Section("Anomalies", LEDGER, (Note("No anomalies found.", "good"),))
    rows = tuple((a.kind, a.description, money(a.amount, cents=True), str(a.source)) for a in audit.anomalies)
    return Section(
        "Anomalies to clear", LEDGER, (Table(("Kind", "What", "Amount", "Where"), rows, right=(2,)),)
    )


def _chart_section(kb: KnowledgeBase, today: date) -> Section:
    totals: dict[str, object] = defaultdict(lambda: ZERO)
    for row in kb.ledger:
        if row.date.year == today.year and row.date <= today:
            totals[row.account] += row.amount
    rows = tuple(
        (a.code, a.name, a.type.value, a.category, money(totals[a.code]) if a.code in totals else "unused")
        for a in kb.accounts
    )
    unused = sum(1 for a in kb.accounts if a.code not in totals)
    return Section(
        "Chart of accounts, year to date",
        ACCOUNTS,
        (
            Table(("Code", "Account", "Type", "Category", "YTD"), rows, right=(4,)),
            Note(f"{unused} accounts unused this year."),
        ),
    )


def _roadmap_section(roadmap) -> Section:
    if not roadmap:
        return Section(
            "Profitability milestones", PROJECTS, (Missing("no finance or accounting milestones"),)
        )
    rows = tuple((str(m.due), m.title, m.target, m.status.value) for m, _project in roadmap)
    return Section(
        "Profitability milestones", PROJECTS, (Table(("Due", "Milestone", "Target", "Status"), rows),)
    )
