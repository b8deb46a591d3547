"""Refunds and cancellations: money paid back to a guest, tied to its charter by `ref`, never revenue.

A refund on a deposit account pays back money held (a cancellation when the whole deposit goes
back before anything was earned, else a partial refund); a negative revenue row pays back revenue
already recognised, which the revenue accounts therefore already show net.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model import Source
from .deposits import ZERO, Charter, Move, Step, steps
from .months import month_of

REFUNDS = (Move.REFUND, Move.REVENUE_REFUND)


@dataclass(frozen=True)
class Refund:
    """Money paid back to a guest for one charter: never revenue recognised."""

    day: date
    entity: str
    charter: str
    ref: str
    amount: Decimal  # positive: what went back
    kind: str  # cancellation | partial refund | refund of recognised revenue
    of_revenue: bool  # True: it reverses revenue already recognised (a negative revenue row)
    source: Source


@dataclass(frozen=True)
class RefundMonth:
    """One month's refunds, split by what they pay back (for the CFO's revenue net of refunds)."""

    month: date
    of_deposits: Decimal  # held money paid back: it never was revenue
    of_revenue: Decimal  # recognised revenue paid back: already netted in the revenue accounts


def charter_refunds(found: Iterable[Charter]) -> tuple[Refund, ...]:
    """Return every refund of these charters, oldest first, each named for what it pays back."""
    paid_back = [_refund(c, step) for c in found for step in steps(c) if step.move in REFUNDS]
    return tuple(sorted(paid_back, key=lambda r: (r.day, r.source.line)))


def by_month(paid_back: Iterable[Refund]) -> tuple[RefundMonth, ...]:
    """Return the months with refunds, each split into refunds of deposits and of revenue."""
    paid_back = list(paid_back)

    def total(month: date, of_revenue: bool) -> Decimal:
        return sum(
            (r.amount for r in paid_back if month_of(r.day) == month and r.of_revenue is of_revenue), ZERO
        )

    months = sorted({month_of(r.day) for r in paid_back})
    return tuple(RefundMonth(month, total(month, False), total(month, True)) for month in months)


def _refund(c: Charter, step: Step) -> Refund:
    row, ref = step.row, c.key if c.referenced else ""
    of_revenue = step.move is Move.REVENUE_REFUND
    return Refund(row.date, c.entity, c.name, ref, -row.amount, _kind(step), of_revenue, row.source)


def _kind(step: Step) -> str:
    """Name a refund: the whole deposit back before anything was earned is a cancellation."""
    if step.move is Move.REVENUE_REFUND:
        return "refund of recognised revenue"
    cancelled = step.held + step.row.amount == 0 and step.recognised == 0
    return "cancellation" if cancelled else "partial refund"
