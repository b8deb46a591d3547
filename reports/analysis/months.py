"""Calendar months as the ledger's unit of time: the first day of a month stands for it."""

from __future__ import annotations

from datetime import date


def month_of(day: date) -> date:
    """Return the first day of `day`'s month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """Return the first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_full_months(today: date, count: int) -> list[date]:
    """Return the `count` complete months before `today`'s month, oldest first."""
    current = month_of(today)
    return [add_months(current, -offset) for offset in range(count, 0, -1)]


def label(month: date) -> str:
    """Return a short month label: `Aug 26`."""
    return month.strftime("%b %y")
