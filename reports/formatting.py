"""Formatting helpers shared by the HTML and plain-text templates (registered as jinja2 filters)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

BAR_WIDTH = 28


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


FILTERS = {
    "money": money,
    "signed_money": signed_money,
    "percent": percent,
    "number": number,
    "bar_percent": bar_percent,
    "text_bar": text_bar,
    "change_text": change_text,
}
