"""CMO brief: the list and the OTA rollout first, then the visibility matrix (entity x channel),
list sizes, the opportunities and the 30/60/90-day milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import marketing, priorities
from ..analysis.provenance import Provenance, at
from ..formatting import Figure, number
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area, ChannelStatus, MilestoneStatus, OwnerRole
from . import rows
from .ceo import entity_names
from .rows import Bar, Phrase, Tile

MILESTONE_AREAS = {Area.MARKETING, Area.SALES}  # what a CMO answers for: being found, then booked
TO_DO = 5


@dataclass(frozen=True)
class OtaRow:
    """One marketplace of the OTA sequence and which entities are live on it."""

    sequence: int
    name: str
    entities: str  # the entities planning or holding a listing, comma-separated
    standing: str  # "live on all", "live for Beta Boats", "not listed yet"


@dataclass(frozen=True)
class OpportunityRow:
    """One opportunity written down in a handoff, with its range of potential."""

    title: str
    entity: str
    channel: str
    low: Decimal
    high: Decimal
    file: str


@dataclass(frozen=True)
class MilestoneRow:
    """One open marketing or sales milestone, in the first horizon (days) it falls within."""

    within: int
    due: date
    when: Phrase  # "10 days late", "in 30 days"
    late: bool
    title: str
    target: str
    status: MilestoneStatus
    file: str


@dataclass(frozen=True)
class CmoBrief:
    """Everything the CMO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    to_do: tuple[str, ...]
    provenance: dict[str, Provenance]  # each followed figure: the channel lines it counts, and cut-off
    visibility: marketing.Visibility  # the matrix (entity x channel kind) and the channels not live
    ota: tuple[OtaRow, ...]
    ota_order: str  # "Sailo -> GetMyBoat -> Viator"
    lists: marketing.ListSizes
    list_bars: tuple[Bar, ...]  # "entity: list (status)", people
    opportunities: tuple[OpportunityRow, ...]
    opportunity_low: Decimal
    opportunity_high: Decimal
    milestones: tuple[MilestoneRow, ...]
    quiet_horizons: tuple[int, ...]  # the horizons (days) within which nothing falls due


def build(
    kb: KnowledgeBase, *, today: date, entity: Entity | None = None, sent: date | None = None
) -> CmoBrief:
    """Return the CMO's brief: channels as of `today`, milestones and actions counted from `sent`."""
    names = entity_names(kb)
    visibility = marketing.visibility_matrix(kb.entities)
    ota = marketing.ota_sequence(kb.entities)
    lists = marketing.list_sizes(kb.entities)
    chances = marketing.opportunities(kb.projects)
    horizons = priorities.milestones_by_horizon(kb.projects, today=sent or today, areas=MILESTONE_AREAS)
    plan = priorities.action_plan(kb.projects, today=sent or today, owner=OwnerRole.CMO)
    order = " -> ".join(step.name for step in ota)
    low, high = sum((o.low for o in chances), Decimal(0)), sum((o.high for o in chances), Decimal(0))
    return CmoBrief(
        headline=_headline(lists, visibility, order),
        key_figures=_key_figures(lists, visibility, ota, low, high, horizons),
        to_do=_to_do(lists, ota, plan),
        provenance=_provenance(kb, lists, today),
        visibility=visibility,
        ota=tuple(_ota_row(step) for step in ota),
        ota_order=order,
        lists=lists,
        list_bars=tuple(Bar(f"{m.entity}: {m.channel} ({m.status.value})", m.size) for m in lists.lists),
        opportunities=tuple(
            OpportunityRow(o.title, names.get(o.entity, o.entity), o.channel, o.low, o.high, o.source.file)
            for o in chances
        ),
        opportunity_low=low,
        opportunity_high=high,
        milestones=tuple(_milestone_row(h.days, m) for h in horizons for m in h.milestones),
        quiet_horizons=tuple(h.days for h in horizons if not h.milestones),
    )


def metrics(brief: CmoBrief) -> dict[str, Metric]:
    """Return the CMO figures followed from one report to the next."""
    return {
        "reach": Metric("People on lists", Decimal(brief.lists.total), "count"),
        "live": Metric("Channels live", Decimal(brief.visibility.live), "count"),
    }


def _provenance(kb: KnowledgeBase, lists: marketing.ListSizes, today: date) -> dict[str, Provenance]:
    """Where reach (the lists' sizes) and the live count (every channel) come from."""
    channels = [channel.source for e in kb.entities for channel in e.channels]
    return {
        "reach": at([m.source for m in lists.lists], today, fallback="entities/*.md (no list)"),
        "live": at(channels, today, fallback="entities/*.md (no channel)"),
    }


def _headline(lists: marketing.ListSizes, visibility: marketing.Visibility, order: str) -> str:
    parts = [f"{number(lists.total)} people on the email lists" if lists.lists else "no email list recorded"]
    parts.append(f"{visibility.live} of {visibility.total} channels live")
    if order:
        parts.append(f"OTAs {order}")
    return ", ".join(parts)


def _key_figures(lists, visibility, ota, low, high, horizons) -> tuple[Tile, ...]:
    paused = sum(m.status is not ChannelStatus.LIVE for m in lists.lists)
    listed = sum(len(step.live_on) for step in ota)
    wanted = sum(len(step.entities) for step in ota)
    due_30 = len(horizons[0].milestones) if horizons else 0
    return (
        Tile(
            "On the email lists",
            Figure(lists.total, "number"),
            (*rows.plural(len(lists.lists), "list"), ", ", paused, " not live"),
        ),
        Tile("Channels live", (visibility.live, "/", visibility.total), "across the entities"),
        Tile("OTA listings live", (listed, "/", wanted), (len(ota), " OTAs in the sequence")),
        Tile("Opportunities", (rows.money(low), "-", rows.money(high)), "written down in the handoffs"),
        Tile("Milestones in 30 days", due_30, "marketing and sales"),
    )


def _to_do(lists: marketing.ListSizes, ota, plan: list[priorities.PlannedAction]) -> tuple[str, ...]:
    """Lead with the CMO's actions due soon; add a paused list or the next OTA step no action covers."""
    lines = [f"{item.action.title} (due {item.action.due}, {item.action.priority.value})" for item in plan]
    covered = " ".join(item.action.title.lower() for item in plan)
    lines += [
        f"Restart the {m.entity} {m.channel}: {number(m.size)} people, currently {m.status.value}."
        for m in lists.lists
        if m.status is not ChannelStatus.LIVE and m.channel.lower() not in covered
    ]
    next_step = next((step for step in ota if len(step.live_on) < len(step.entities)), None)
    if next_step and next_step.name.lower() not in covered:
        missing = " and ".join(name for name in next_step.entities if name not in next_step.live_on)
        lines.append(f"List {missing} on {next_step.name} (OTA step {next_step.sequence}).")
    return tuple(lines[:TO_DO])


def _ota_row(step: marketing.OtaStep) -> OtaRow:
    if len(step.live_on) == len(step.entities):
        standing = "live on all"
    elif step.live_on:
        standing = f"live for {', '.join(step.live_on)}"
    else:
        standing = "not listed yet"
    return OtaRow(step.sequence, step.name, ", ".join(step.entities), standing)


def _milestone_row(days: int, dated: priorities.DatedMilestone) -> MilestoneRow:
    milestone, left = dated.milestone, dated.days_left
    when = (-left, " days late") if left < 0 else ("in ", left, " days")
    return MilestoneRow(
        days,
        milestone.due,
        when,
        left < 0,
        milestone.title,
        milestone.target,
        milestone.status,
        milestone.source.file,
    )
