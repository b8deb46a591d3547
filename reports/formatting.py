"""Formatting helpers shared by the HTML and plain-text templates (registered as jinja2 filters)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

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
    """Return a month as `Oct 2026`: the year in full, so a month never reads as a day (`Oct 26`)."""
    return f"{first_day:%b %Y}"


month = long_month  # the `month` filter and unit of the templates


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


TEXT_WIDTH = 78  # columns of the plain-text part; every line fits
NARROWEST_COLUMN = 14  # a text column is wrapped down to this width before a table becomes records


def text_table(
    rows: list[list], headers: list[str], *, right: tuple[int, ...] = (), width: int = TEXT_WIDTH
) -> str:
    """Return rows as an aligned plain-text table no wider than `width`; columns listed in `right`
    align right. Too wide, the widest text columns are wrapped within their cells; when even that
    does not fit, each row becomes a record of "Header: value" lines."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    gaps = 2 * (len(widths) - 1)
    wrapped = False
    while sum(widths) + gaps > width:
        flexible = [i for i in range(len(widths)) if i not in right and widths[i] > NARROWEST_COLUMN]
        if not flexible:
            return _records(cells, width)
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] = max(NARROWEST_COLUMN, widths[widest] - (sum(widths) + gaps - width))
        wrapped = True

    def lines(row: list[str]) -> list[str]:
        parts = [
            _wrap(cell, w) if i not in right else [cell]
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out = []
        for depth in range(max(len(p) for p in parts)):
            line = [
                (p[depth] if depth < len(p) else "").rjust(w)
                if i in right
                else (p[depth] if depth < len(p) else "").ljust(w)
                for i, (p, w) in enumerate(zip(parts, widths, strict=True))
            ]
            out.append("  ".join(line).rstrip())
        return out

    rule = "  ".join("-" * w for w in widths)
    body = []
    for row in cells[1:]:
        body.extend(lines(row))
        if wrapped and row is not cells[-1]:
            body.append("")
    return "\n".join([*lines(cells[0]), rule, *body])


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _records(cells: list[list[str]], width: int) -> str:
    """Return a table too wide to be one as records: the row's first cell, then "Header: value"."""
    headers, records = cells[0], []
    for row in cells[1:]:
        lines = textwrap.wrap(row[0], width, break_on_hyphens=False) or [""]
        for header, cell in zip(headers[1:], row[1:], strict=True):
            if cell:
                lines += textwrap.wrap(
                    f"{header}: {cell}", width, initial_indent="  ", subsequent_indent="    "
                )
        records.append("\n".join(lines))
    return "\n\n".join(records)


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Return plain text with every line longer than `width` wrapped at word boundaries; a wrapped
    line keeps its indent, and a list item ("1. ", "- ", "! ") hangs under its first word."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = re.match(r"\s*(?:\d+\.\s|[-*!]\s|\[\d+\]\s)?", line).group(0)
        out.extend(textwrap.wrap(line, width, subsequent_indent=" " * len(lead), break_on_hyphens=False))
    return "\n".join(out)


SUBJECT_LIMIT = 79  # characters: under 80, so a phone's inbox shows the figures and the report


def subject_line(headline: str, report: str, limit: int = SUBJECT_LIMIT) -> str:
    """Return the inbox line: the headline's figures first, then which report ("Runway 6.0 mo,
    burn $7,795/mo — CFO briefing"). Too long, the headline's last clauses are dropped."""
    parts = " ".join(str(headline).split()).split(", ")
    suffix = f" — {' '.join(str(report).split())}"
    while len(parts) > 1 and len(", ".join(parts)) + len(suffix) > limit:
        parts.pop()
    lead = ", ".join(parts)
    if len(lead) + len(suffix) > limit:
        lead = textwrap.shorten(lead, max(limit - len(suffix), 10), placeholder="…")
    return (lead[:1].upper() + lead[1:] + suffix)[:limit] if lead else suffix.strip(" —")


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
    "subject_line": subject_line,
}
