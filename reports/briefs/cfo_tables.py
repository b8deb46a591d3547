"""The CFO report's tables: one row type per table, holding raw values, and how each row is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import finance, periods, rules, targets
from ..formatting import Figure
from ..model import KnowledgeBase, Source
from ..vocabulary import CapitalStatus, RuleKind


@dataclass(frozen=True)
class FlowRow:
    """One month of the burn-vs-revenue table and chart (out is positive; net = in - out); None for a
    month without ledger rows, which the chart leaves out."""

    month: date
    revenue: Decimal | None
    outflow: Decimal | None
    net: Decimal | None
    entered: bool


@dataclass(frozen=True)
class EconomicsRow:
    """One charter entity's unit economics, which break-even averages."""

    entity: str
    average_price: Decimal
    variable_cost: Decimal
    contribution: Decimal


@dataclass(frozen=True)
class TargetRow:
    """One month's revenue target against the revenue booked (gap = actual - target; None when the
    month has no ledger rows: "not entered", or "no data" before the ledger starts)."""

    month: date
    target: Decimal
    actual: Decimal | None
    gap: Decimal | None
    standing: str  # "full month", "month to date", "not entered", "no data"
    entered: bool


@dataclass(frozen=True)
class RuleRow:
    """One financial rule and how often it was broken."""

    rule: str
    kept: bool
    breaches: int


@dataclass(frozen=True)
class ViolationRow:
    """One breach of a rule, dated by month for monthly rules, with the ledger row to check."""

    rule: str
    when: Figure  # a month ("Oct 2026") for monthly totals, else the day
    amount: Decimal
    detail: str
    source: Source


@dataclass(frozen=True)
class CapitalRow:
    """One item of the capital plan, its entity by name."""

    due: date
    title: str
    entity: str
    status: CapitalStatus
    amount: Decimal


def trend_rows(kb: KnowledgeBase, found: periods.Window) -> tuple[FlowRow, ...]:
    """The trend's months, oldest first: figures for the entered ones, None for the others."""
    flows = {f.month: f for f in finance.monthly_flows(kb.ledger, kb.accounts, list(found.covered))}
    return tuple(
        FlowRow(m, flows[m].revenue, flows[m].outflow, flows[m].net, True)
        if m in flows
        else FlowRow(m, None, None, None, False)
        for m in found.months
    )


def target_row(goal: targets.TargetMonth) -> TargetRow:
    """A targeted month; its note is blank for a full month, else why it is not judged."""
    standing = "" if goal.standing == targets.FULL else goal.standing
    return TargetRow(goal.month, goal.target, goal.actual, goal.gap, standing, goal.actual is not None)


def economics_rows(kb: KnowledgeBase, even) -> tuple[EconomicsRow, ...]:
    """The charter entities' unit economics that break-even averages, each entity by name."""
    by_source = {e.unit_economics.source: e for e in kb.entities if e.unit_economics}
    return tuple(
        EconomicsRow(by_source[u.source].name, u.average_price, u.variable_cost, u.contribution)
        for u in even.economics
    )


def violation_row(v: rules.Violation) -> ViolationRow:
    """A breach, dated by its month when the rule totals months."""
    monthly = v.rule.kind is not RuleKind.MAX_SINGLE_EXPENSE and v.when.day == 1
    when = Figure(v.when, "long_month" if monthly else "date")
    return ViolationRow(v.rule.title, when, v.amount, v.detail, v.source)
