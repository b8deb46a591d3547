"""Calendar months as the ledger's unit of time: the first day of a month stands for it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

EN_DASH = "\N{EN DASH}"  # joins the ends of a run of months, as in print: Nov to Dec


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


def runs(months: Iterable[date]) -> list[list[date]]:
    """Group months into runs of consecutive months, so a gap in a window is visible."""
    grouped: list[list[date]] = []
    for month in sorted(set(months)):
        if grouped and add_months(grouped[-1][-1], 1) == month:
            grouped[-1].append(month)
        else:
            grouped.append([month])
    return grouped


def span(months: Iterable[date], *, years: bool = False) -> str:
    """Return months as short runs, `Nov-Dec` or `Aug, Oct` (`Nov 2026-Jan 2027` with years)."""
    shape = "%b %Y" if years else "%b"
    parts = []
    for run in runs(months):
        first, last = run[0].strftime(shape), run[-1].strftime(shape)
        parts.append(first if len(run) == 1 else f"{first}{EN_DASH}{last}")
    return ", ".join(parts)
