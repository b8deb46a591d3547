"""Where a headline figure came from, carried into the report's JSON so every figure can be traced
back to the knowledge base: the file and lines it read, the months it covers and its cut-off."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model import Source
from .periods import Window, describe


@dataclass(frozen=True)
class Provenance:
    """The source of one figure: `ledger.csv:8-11,14`, the window it covers, and whether it may move."""

    source: str  # files and lines read: "portfolio.toml:5; ledger.csv:8-11,14"
    window: str  # the months it covers ("Aug-Oct", "Nov-Dec; Jan not entered"), "" for a point in time
    cut_off: date  # the as_of date: rows after it are left out
    provisional: bool = False  # a month of the window is not entered yet
    missing: tuple[date, ...] = ()  # those months


def lines(sources: Iterable[Source]) -> str:
    """Return sources as `file:lines` with runs of lines joined: `ledger.csv:8-11,14; portfolio.toml:5`."""
    by_file: dict[str, set[int]] = defaultdict(set)
    for source in sources:
        by_file[source.file].add(source.line)
    return "; ".join(f"{file}:{_ranges(numbers)}" for file, numbers in by_file.items())


def _ranges(numbers: set[int]) -> str:
    """Return line numbers as `8-11,14`."""
    parts, ordered = [], sorted(numbers)
    start = previous = ordered[0]
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ",".join(parts)


def over(sources: Iterable[Source], found: Window, cut_off: date, *, fallback: str) -> Provenance:
    """Return the provenance of a figure read over a window of ledger months."""
    return Provenance(lines(sources) or fallback, describe(found), cut_off, found.provisional, found.missing)


def at(sources: Iterable[Source], cut_off: date, *, fallback: str) -> Provenance:
    """Return the provenance of a figure read at one point in time (a rent roll, a list size)."""
    return Provenance(lines(sources) or fallback, "", cut_off)
