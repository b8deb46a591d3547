"""What a figure covers: the one `as_of` cut-off, the months of a window that have ledger rows, and
how old the figures are when the report is sent.

A month is *entered* when the ledger has at least one row dated in it (any account, any entity).
In a window, a month before the ledger's first entered month is *no data* (the books start
later); a month on or after it without a row is *not entered* (yet), and a figure over that
window is computed over the entered months only and marked provisional — never averaged in as
a zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from ..model import KnowledgeBase, LedgerRow
from .months import last_full_months, month_of, span

STALE_AFTER_DAYS = 7  # figures older than a week at sending open the report with their age
LOOKBACK_MONTHS = 12  # the longest window a report reads: the completeness note looks this far back


def as_of_view(base: KnowledgeBase) -> KnowledgeBase:
    """Return the knowledge base as of its `as_of`: ledger rows dated after it are future, left out."""
    if base.portfolio is None:
        return base
    return replace(base, ledger=tuple(row for row in base.ledger if row.date <= base.portfolio.as_of))


def future_rows(base: KnowledgeBase) -> tuple[LedgerRow, ...]:
    """Return the ledger rows dated after `as_of`, which no figure of the report counts."""
    if base.portfolio is None:
        return ()
    return tuple(row for row in base.ledger if row.date > base.portfolio.as_of)


@dataclass(frozen=True)
class Window:
    """The months a figure is read over, split by whether the ledger has rows for them."""

    months: tuple[date, ...]  # as asked, oldest first
    covered: tuple[date, ...]  # entered: the figure is computed over these
    missing: tuple[date, ...]  # no rows though the ledger had started: not entered yet
    before_start: tuple[date, ...]  # before the ledger's first month: no data

    @property
    def provisional(self) -> bool:
        """Tell whether entering the missing months may still change the figure."""
        return bool(self.missing)

    @property
    def complete(self) -> bool:
        """Tell whether every month of the window has rows."""
        return self.covered == self.months


def entered_months(ledger: Iterable[LedgerRow]) -> frozenset[date]:
    """Return the months with at least one ledger row."""
    return frozenset(month_of(row.date) for row in ledger)


def window(ledger: Iterable[LedgerRow], months: Iterable[date]) -> Window:
    """Return `months` split into entered, not entered and before the ledger starts."""
    months, entered = tuple(months), entered_months(ledger)
    start = min(entered, default=None)
    return Window(
        months,
        tuple(m for m in months if m in entered),
        tuple(m for m in months if m not in entered and start is not None and m >= start),
        tuple(m for m in months if start is None or m < start),
    )


def last_full(ledger: Iterable[LedgerRow], today: date, count: int) -> Window:
    """Return the window of the `count` full months before `today`'s month."""
    return window(ledger, last_full_months(today, count))


def describe(found: Window) -> str:
    """Return what a window covers: `Aug-Oct`, `Nov-Dec; Jan not entered`, `Oct; no data before Oct 2026`."""
    years = len(found.months) > 3
    parts = [span(found.covered, years=years)] if found.covered else []
    if found.missing:
        parts.append(f"{span(found.missing, years=years)} not entered")
    if found.before_start:
        parts.append(f"no data before {found.covered[0]:%b %Y}" if found.covered else "no data")
    return "; ".join(parts)


def gaps(found: Window) -> str | None:
    """Return only the months of a window without rows: `Oct 2026 not entered`, or None."""
    parts = []
    if found.before_start:
        parts.append(f"{span(found.before_start, years=True)} before the ledger starts (no data)")
    if found.missing:
        parts.append(f"{span(found.missing, years=True)} not entered")
    return "; ".join(parts) or None


@dataclass(frozen=True)
class Freshness:
    """How old the figures are when the report is sent: `as_of` against the send date."""

    as_of: date
    sent: date

    @property
    def days_old(self) -> int:
        return (self.sent - self.as_of).days

    @property
    def stale(self) -> bool:
        return self.days_old > STALE_AFTER_DAYS

    @property
    def notice(self) -> str | None:
        """Return the line a stale report opens with, or None when the figures are recent."""
        if not self.stale:
            return None
        return f"Figures as of {self.as_of.day} {self.as_of:%b %Y} \N{EM DASH} {self.days_old} days old"


def not_entered_notice(ledger: Iterable[LedgerRow], as_of: date) -> str | None:
    """Return the line naming the months of the last year with no ledger rows, or None."""
    missing = last_full(ledger, as_of, LOOKBACK_MONTHS).missing
    if not missing:
        return None
    months = span(missing, years=True)
    return (
        f"Not entered yet: {months} (no ledger rows). Figures over those months are computed over "
        "the months that have rows and marked provisional."
    )
