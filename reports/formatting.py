"""Formatting helpers shared by the HTML and plain-text templates (registered as jinja2 filters)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from .analysis.months import label as month

BAR_WIDTH = 28


@dataclass(frozen=True)
class Figure:
    """A raw value and the unit it is shown in, so a tile or sentence keeps the figure itself."""

    value: object
    unit: str  # a key of UNITS


def money(amount, *, cents: bool = False) -> str:
    """Return dollars as `$12,345` (or `$12,345.67`); negative amounts as `-$1,234`."""
    if amount is None:
        return "n/a"
    value = Decimal(str(amount))
    places = Decimal("0.01") if cents else Decimal("1")
    value = value.quantize(places, rounding=ROUND_HALF_UP)
    text = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    return f"-${text}" if value < 0 else f"${text}"


def signed_money(amount) -> str:
    """Return a change in dollars with an explicit sign: `+$400`, `-$1,200`, `$0`."""
    if amount is None:
        return "n/a"
    text = money(amount)
    return text if text.startswith("-") or text == "$0" else f"+{text}"


def percent(fraction, places: int = 0) -> str:
    """Return a 0..1 fraction as a percentage: 0.4567 -> `46%`."""
    if fraction is None:
        return "n/a"
    return f"{Decimal(str(fraction)) * 100:.{places}f}%"


def number(value, places: int = 0) -> str:
    """Return a number with thousands separators."""
    if value is None:
        return "n/a"
    return f"{Decimal(str(value)):,.{places}f}"


def per_month(amount, *, cents: bool = False) -> str:
    """Return a monthly amount as `$8,411/mo`, or `n/a` when unknown."""
    return "n/a" if amount is None else f"{money(amount, cents=cents)}/mo"


def months(count) -> str:
    """Return a number of months as `5.2 months`, or `n/a` when unknown (nothing burns)."""
    return "n/a" if count is None else f"{count} months"


def long_month(first_day: date) -> str:
    """Return a month as `Oct 2026` (`month` gives the short `Oct 26`)."""
    return f"{first_day:%b %Y}"


def period(first_days: Iterable[date]) -> str:
    """Return a run of months (first days, oldest first) as `Nov 2025 - Oct 2026`."""
    run = list(first_days)
    return f"{long_month(run[0])} - {long_month(run[-1])}"


def bar_percent(value, largest) -> int:
    """Return the width, 0..100, of a bar for `value` on a scale whose top is `largest`."""
    if not value or not largest:
        return 0
    share = Decimal(str(abs(value))) / Decimal(str(abs(largest)))
    return max(1, min(100, int((share * 100).to_integral_value(ROUND_HALF_UP))))


def text_bar(value, largest, width: int = BAR_WIDTH) -> str:
    """Return a bar of block characters for plain-text charts."""
    return "█" * round(bar_percent(value, largest) * width / 100)


def text_table(rows: list[list], headers: list[str], *, right: tuple[int, ...] = ()) -> str:
    """Return rows as an aligned plain-text table; columns listed in `right` align right."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        pairs = enumerate(zip(row, widths, strict=True))
        parts = [cell.rjust(width) if i in right else cell.ljust(width) for i, (cell, width) in pairs]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def change_text(change) -> str:
    """Return a metric's value now and its move since last time: `$8,411 (+$400)`."""
    if change.unit == "money":
        return f"{money(change.now)} ({signed_money(change.delta)})"
    if change.unit == "fraction":
        points = Decimal(str(change.delta)) * 100
        return f"{percent(change.now)} ({points:+.0f} pts)"
    places = 1 if change.unit == "months" else 0
    return f"{number(change.now, places)} ({Decimal(str(change.delta)):+,.{places}f})"


UNITS = {
    "money": money,
    "cents": lambda amount: money(amount, cents=True),
    "signed_money": signed_money,
    "per_month": per_month,
    "per_month_cents": lambda amount: per_month(amount, cents=True),
    "percent": percent,
    "number": number,
    "months": months,
    "month": month,
    "long_month": long_month,
    "period": period,
    "date": date.isoformat,
}


def show(value, unit: str = "text") -> str:
    """Return a value in `unit`; as "text", a Figure in its own unit and a tuple as a sentence of parts."""
    if unit != "text":
        return UNITS[unit](value)
    if isinstance(value, Figure):
        return UNITS[value.unit](value.value)
    if isinstance(value, tuple):
        return "".join(show(part) for part in value)
    return value.value if isinstance(value, Enum) else str(value)


def cells(rows: Iterable, **units: str) -> list[list[str]]:
    """Return table rows as text cells: the named fields, in the order given, each shown in its unit."""
    return [[show(getattr(row, field), unit) for field, unit in units.items()] for row in rows]


FILTERS = {
    "money": money,
    "signed_money": signed_money,
    "percent": percent,
    "number": number,
    "month": month,
    "period": period,
    "show": show,
    "cells": cells,
    "bar_percent": bar_percent,
    "text_bar": text_bar,
    "change_text": change_text,
}
