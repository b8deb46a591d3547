"""Since the last report: each report's key metrics, and how they moved since the previous send.

A report declares its key metrics (catalogue `metrics`); a sent run stores them; the next
run shows each metric's change beside the previous value ("burn +$400 since 16 Nov").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNITS = ("money", "count", "months", "fraction")


@dataclass(frozen=True)
class Metric:
    """One key figure of a report, worth following from one send to the next."""

    label: str
    value: Decimal | None
    unit: str  # one of UNITS: how to print it

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown metric unit {self.unit!r}")


@dataclass(frozen=True)
class Change:
    """A metric now, at the previous send, and the difference."""

    label: str
    unit: str
    now: Decimal
    before: Decimal
    delta: Decimal


@dataclass(frozen=True)
class SinceLast:
    """The changes since the previous sent report of the same id, and when that was."""

    previous_at: str
    changes: tuple[Change, ...]


def since_last(metrics: dict[str, Metric], previous: dict | None) -> SinceLast | None:
    """Compare this report's metrics with the previous send's; None when there is nothing to compare."""
    if not previous or not previous.get("metrics"):
        return None
    before = previous["metrics"]
    changes = tuple(
        Change(
            metric.label,
            metric.unit,
            metric.value,
            Decimal(str(before[key])),
            metric.value - Decimal(str(before[key])),
        )
        for key, metric in metrics.items()
        if metric.value is not None and before.get(key) is not None
    )
    return SinceLast(previous["at"], changes) if changes else None


def stored(metrics: dict[str, Metric]) -> dict[str, Decimal]:
    """Return the metrics as stored with a sent report: {key: value}, unknown values left out."""
    return {key: metric.value for key, metric in metrics.items() if metric.value is not None}
