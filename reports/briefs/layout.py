"""The shape every brief takes: headline tiles, what to do, then sections of tables and charts.

Briefs turn analysis results into these blocks, formatted once, so the HTML and the plain text
show the same figures from the same strings (`_sections.html` / `_sections.txt` render them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Tile:
    """A headline figure."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: tuple[int, ...] = ()  # column indexes aligned right (figures)


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart of money (or counts) by label."""

    rows: tuple[tuple[str, Decimal], ...]
    value_format: str = "money"


@dataclass(frozen=True)
class PairedBars:
    """Two series side by side per label, e.g. burn vs revenue by month."""

    rows: tuple[tuple[str, Decimal, Decimal], ...]
    first: str
    second: str


@dataclass(frozen=True)
class Note:
    text: str
    tone: str = "info"  # info | warn | bad | good


@dataclass(frozen=True)
class Missing:
    """Data a section needs is absent: said plainly instead of showing zeros."""

    what: str


@dataclass(frozen=True)
class Section:
    title: str
    source: str  # the file the figures come from, footnoted
    blocks: tuple[Tile | Table | Bars | PairedBars | Note | Missing, ...]


@dataclass(frozen=True)
class Brief:
    """Everything a report's templates show, in reading order."""

    headline: str  # the subject line's figure: "burn $8,411/mo, 5.5 months of runway"
    tiles: tuple[Tile, ...]
    to_do: tuple[str, ...]  # the few things to act on now
    sections: tuple[Section, ...]
    figures: dict = field(default_factory=dict)  # the analysis results, for the JSON data
    show_live: bool = False  # add the live operating counts section (from the app's tables)

    def __post_init__(self):
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Tile):
                    raise TypeError("tiles belong in Brief.tiles")


def kind(block) -> str:
    """Return the block's kind for the templates: `table`, `bars`, `paired_bars`, `note`, `missing`."""
    return {Table: "table", Bars: "bars", PairedBars: "paired_bars", Note: "note", Missing: "missing"}[
        type(block)
    ]
