"""Row types shared by the briefs: raw values only, so each figure has one source and the
templates format it (reports/formatting.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..analysis.priorities import PlannedAction
from ..formatting import Figure
from ..vocabulary import OwnerRole, Severity

# A phrase is what a tile or a cell says: text, a raw number, a Figure (value and unit), or a
# tuple of those read in order; the templates turn it into text with the `show` filter.
Phrase = str | int | Decimal | Figure | tuple


@dataclass(frozen=True)
class Tile:
    """One figure of a report's "at a glance" block: what it is, its value and a note."""

    label: str
    value: Phrase
    note: Phrase


class Bar(NamedTuple):
    """One bar of a chart whose labels are names (an entity, a service, a client): a pair, as the
    chart macros read it."""

    label: str
    value: Decimal | int


def money(amount) -> Figure:
    """Return an amount shown in whole dollars."""
    return Figure(amount, "money")


def per_month(amount) -> Figure:
    """Return a monthly amount shown as `$8,411/mo` (`n/a` when unknown)."""
    return Figure(amount, "per_month")


def plural(count: int, noun: str) -> tuple[int, str]:
    """Return `count noun(s)` as a phrase that keeps the count a number."""
    return (count, f" {noun}" if count == 1 else f" {noun}s")


def due_when(days_left: int, overdue: bool) -> Phrase:
    """Return when an action falls due: `14 days overdue`, `today` or `in 3 days`."""
    if overdue:
        return (-days_left, " days overdue")
    return "today" if days_left == 0 else ("in ", days_left, " days")


@dataclass(frozen=True)
class PlanRow:
    """One action from the handoffs: when it falls due, how urgent it is, who does it."""

    due: date
    when: Phrase  # "14 days overdue", "today", "in 3 days"
    overdue: bool
    priority: Severity
    action: str
    owner: OwnerRole
    file: str


def plan_row(item: PlannedAction) -> PlanRow:
    """Return a planned action as a row of the action tables."""
    action = item.action
    when = due_when(item.days_left, item.overdue)
    return PlanRow(
        action.due, when, item.overdue, action.priority, action.title, action.owner_role, action.source.file
    )


@dataclass(frozen=True)
class StatementLine:
    """One line of an income statement: what it is (a phrase, as it may carry a rate) and the amount."""

    label: Phrase
    amount: Decimal
