"""Where the portfolio can be seen and reached: channels by entity, OTA order, lists, opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Channel, Entity, Opportunity, Project
from ..vocabulary import ChannelKind


@dataclass(frozen=True)
class MatrixRow:
    """One entity's status on each channel kind ('' where it has none)."""

    entity: Entity
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Visibility:
    kinds: tuple[ChannelKind, ...]
    rows: tuple[MatrixRow, ...]
    live: int
    total: int


def visibility_matrix(entities: Iterable[Entity]) -> Visibility:
    """Return entity x channel kind with the best status per cell (live > draft > planned > paused)."""
    order = {"live": 0, "draft": 1, "planned": 2, "paused": 3}
    entities = sorted(entities, key=lambda e: e.name)
    kinds = tuple(kind for kind in ChannelKind if any(c.kind is kind for e in entities for c in e.channels))
    rows = []
    for entity in entities:
        cells = []
        for kind in kinds:
            statuses = sorted((c.status.value for c in entity.channels if c.kind is kind), key=order.get)
            cells.append(statuses[0] if statuses else "")
        rows.append(MatrixRow(entity, tuple(cells)))
    channels = [c for e in entities for c in e.channels]
    return Visibility(kinds, tuple(rows), sum(1 for c in channels if c.status.value == "live"), len(channels))


def ota_sequence(entities: Iterable[Entity]) -> list[Channel]:
    """Return the distinct OTA channels in rollout order (lowest sequence first)."""
    seen: dict[str, Channel] = {}
    for channel in sorted(
        (c for e in entities for c in e.channels if c.kind is ChannelKind.OTA and c.sequence is not None),
        key=lambda c: c.sequence,
    ):
        seen.setdefault(channel.name, channel)
    return list(seen.values())


def lists(entities: Iterable[Entity]) -> list[tuple[Entity, Channel]]:
    """Return the channels with a list size (email lists, followers), largest first."""
    found = [(e, c) for e in entities for c in e.channels if c.list_size is not None]
    return sorted(found, key=lambda pair: pair[1].list_size, reverse=True)


def opportunities(projects: Iterable[Project]) -> list[tuple[Opportunity, Project]]:
    """Return the opportunities written down in handoffs, largest upside first."""
    found = [(o, p) for p in projects for o in p.opportunities]
    return sorted(found, key=lambda pair: pair[0].high, reverse=True)
