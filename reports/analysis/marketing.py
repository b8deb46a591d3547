"""Where the portfolio can be seen and reached: channels by entity, OTA order, lists, opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model import Channel, Entity, Opportunity, Project, Source
from ..vocabulary import ChannelKind, ChannelStatus

ZERO = Decimal(0)


def _status_rank(status: ChannelStatus) -> int:
    """Rank statuses by how visible they make an entity: live, then draft, planned, paused."""
    return list(ChannelStatus).index(status)


@dataclass(frozen=True)
class MatrixCell:
    """An entity's channels of one kind: the most visible status among them, None where it has none."""

    kind: ChannelKind
    status: ChannelStatus | None
    channels: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class MatrixRow:
    entity: Entity
    cells: tuple[MatrixCell, ...]
    live: int  # channels of this entity that are live


@dataclass(frozen=True)
class Visibility:
    """Entity x channel kind, with how many channels are live out of all recorded."""

    kinds: tuple[ChannelKind, ...]  # only the kinds some entity uses, in vocabulary order
    rows: tuple[MatrixRow, ...]
    live: int
    total: int
    not_live: tuple[tuple[Entity, Channel], ...]  # every channel not yet live, least visible last


@dataclass(frozen=True)
class OtaStep:
    """One online travel agency in rollout order, and the entities to list on it."""

    sequence: int
    name: str
    entities: tuple[str, ...]  # entity names planning or holding a listing
    live_on: tuple[str, ...]  # entity names already live there
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class MailingList:
    entity: str  # entity name
    channel: str
    size: int
    status: ChannelStatus
    source: Source


@dataclass(frozen=True)
class ListSizes:
    """The email lists and the people on them in all (one person on two lists counts twice)."""

    lists: tuple[MailingList, ...]  # largest first
    total: int


def _cell(entity: Entity, kind: ChannelKind) -> MatrixCell:
    mine = [channel for channel in entity.channels if channel.kind is kind]
    best = min((channel.status for channel in mine), key=_status_rank, default=None)
    return MatrixCell(kind, best, tuple(c.name for c in mine), tuple(c.source for c in mine))


def visibility_matrix(entities: Iterable[Entity]) -> Visibility:
    """Return entity x channel kind with the most visible status per cell, entities by name."""
    entities = sorted(entities, key=lambda entity: entity.name)
    kinds = tuple(kind for kind in ChannelKind if any(c.kind is kind for e in entities for c in e.channels))
    rows = tuple(
        MatrixRow(
            e,
            tuple(_cell(e, kind) for kind in kinds),
            sum(c.status is ChannelStatus.LIVE for c in e.channels),
        )
        for e in entities
    )
    pending = [(e, c) for e in entities for c in e.channels if c.status is not ChannelStatus.LIVE]
    return Visibility(
        kinds,
        rows,
        sum(row.live for row in rows),
        sum(len(e.channels) for e in entities),
        tuple(sorted(pending, key=lambda pair: _status_rank(pair[1].status))),
    )


def ota_sequence(entities: Iterable[Entity]) -> tuple[OtaStep, ...]:
    """Return the distinct OTAs in rollout order (lowest `sequence` first) with who lists on each."""
    entities = list(entities)
    found = [
        (e, c) for e in entities for c in e.channels if c.kind is ChannelKind.OTA and c.sequence is not None
    ]
    steps = []
    for name in sorted(
        {c.name for _e, c in found}, key=lambda n: min(c.sequence for _e, c in found if c.name == n)
    ):
        on = [(e, c) for e, c in found if c.name == name]
        steps.append(
            OtaStep(
                min(c.sequence for _e, c in on),
                name,
                tuple(e.name for e, _c in on),
                tuple(e.name for e, c in on if c.status is ChannelStatus.LIVE),
                tuple(c.source for _e, c in on),
            )
        )
    return tuple(steps)


def list_sizes(entities: Iterable[Entity]) -> ListSizes:
    """Return the email lists with their sizes, largest first, and the people on them in all."""
    lists = sorted(
        (
            MailingList(e.name, c.name, c.list_size, c.status, c.source)
            for e in entities
            for c in e.channels
            if c.kind is ChannelKind.EMAIL and c.list_size is not None
        ),
        key=lambda mailing: (-mailing.size, mailing.entity),
    )
    return ListSizes(tuple(lists), sum(mailing.size for mailing in lists))


def opportunities(projects: Iterable[Project]) -> tuple[Opportunity, ...]:
    """Return the opportunities written down in handoffs, largest upside first."""
    found = [opportunity for project in projects for opportunity in project.opportunities]
    return tuple(sorted(found, key=lambda opportunity: (-opportunity.high, opportunity.title)))
