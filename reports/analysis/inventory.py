"""The asset inventory across entities: what the portfolio owns and what it costs each month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model import Asset, Source
from ..vocabulary import AssetStatus

ZERO = Decimal(0)
# Assets that cost money now: active ones and idle ones (paid for, unused). Planned and retired
# assets cost nothing this month, so they stay out of every count and total.
RUNNING = frozenset({AssetStatus.ACTIVE, AssetStatus.IDLE})


@dataclass(frozen=True)
class CostLine:
    """A group of running assets (one entity, one type, one service...) and their monthly cost."""

    name: str
    count: int
    monthly: Decimal
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Inventory:
    """Running assets counted and costed by entity, by type, and by entity and type together."""

    count: int
    monthly: Decimal
    by_entity: tuple[CostLine, ...]  # most expensive first
    by_type: tuple[CostLine, ...]  # most expensive first
    by_entity_and_type: tuple[tuple[str, CostLine], ...]  # (entity, line named for the type), by entity
    unowned: tuple[Asset, ...]  # running assets nobody answers for


def running(assets: Iterable[Asset]) -> list[Asset]:
    """Return the assets that cost money now (active or idle)."""
    return [asset for asset in assets if asset.status in RUNNING]


def cost_lines(assets: Iterable[Asset], key: Callable[[Asset], str]) -> tuple[CostLine, ...]:
    """Group assets by `key` and return each group's count and monthly cost, most expensive first."""
    groups: dict[str, list[Asset]] = defaultdict(list)
    for asset in assets:
        groups[key(asset)].append(asset)
    lines = [
        CostLine(
            name,
            len(group),
            sum((asset.monthly_cost for asset in group), ZERO),
            tuple(asset.source for asset in group),
        )
        for name, group in groups.items()
    ]
    return tuple(sorted(lines, key=lambda line: (-line.monthly, line.name)))


def asset_inventory(assets: Iterable[Asset]) -> Inventory:
    """Return the running assets counted and costed by entity and type, so idle spend stands out."""
    live = running(assets)
    by_entity = cost_lines(live, lambda asset: asset.entity)
    detail = tuple(
        (line.name, type_line)
        for line in by_entity
        for type_line in cost_lines((a for a in live if a.entity == line.name), lambda a: a.type.value)
    )
    return Inventory(
        count=len(live),
        monthly=sum((asset.monthly_cost for asset in live), ZERO),
        by_entity=by_entity,
        by_type=cost_lines(live, lambda asset: asset.type.value),
        by_entity_and_type=detail,
        unowned=tuple(asset for asset in live if not asset.owner),
    )
