"""CMO brief: the list and the OTA rollout first, then the visibility matrix (entity x channel),
list sizes, the opportunities and the 30/60/90-day milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import marketing, priorities
from ..formatting import money, number
from ..history import Metric
from ..model import Entity, KnowledgeBase, Opportunity
from ..vocabulary import Area, ChannelStatus, OwnerRole
from .ceo import entity_names

MILESTONE_AREAS = {Area.MARKETING, Area.SALES}  # what a CMO answers for: being found, then booked
TO_DO = 5


@dataclass(frozen=True)
class CmoBrief:
    """Everything the CMO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    to_do: tuple[str, ...]
    visibility: marketing.Visibility
    matrix_headers: tuple[str, ...]
    matrix_rows: tuple[tuple[str, ...], ...]  # entity name, then one status per channel kind ("" if none)
    not_live_rows: tuple[tuple[str, ...], ...]  # entity, channel, kind, status
    ota: tuple[marketing.OtaStep, ...]
    ota_rows: tuple[tuple[str, ...], ...]  # order, OTA, entities, where it stands
    ota_order: str  # "Sailo -> GetMyBoat -> Viator"
    lists: marketing.ListSizes
    list_bars: tuple[tuple[str, int], ...]  # "entity: list (status)", people
    opportunities: tuple[Opportunity, ...]
    opportunity_rows: tuple[tuple[str, ...], ...]  # title, entity, channel, low-high, handoff file
    opportunity_low: Decimal
    opportunity_high: Decimal
    horizons: tuple[priorities.Horizon, ...]
    milestone_rows: tuple[tuple[str, ...], ...]  # within, due, when, milestone, target, status, file


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> CmoBrief:
    """Return the CMO's brief as of `today`."""
    names = entity_names(kb)
    visibility = marketing.visibility_matrix(kb.entities)
    ota = marketing.ota_sequence(kb.entities)
    lists = marketing.list_sizes(kb.entities)
    chances = marketing.opportunities(kb.projects)
    horizons = priorities.milestones_by_horizon(kb.projects, today=today, areas=MILESTONE_AREAS)
    plan = priorities.action_plan(kb.projects, today=today, owner=OwnerRole.CMO)
    order = " -> ".join(step.name for step in ota)
    low, high = sum((o.low for o in chances), Decimal(0)), sum((o.high for o in chances), Decimal(0))
    return CmoBrief(
        headline=_headline(lists, visibility, order),
        key_figures=_key_figures(lists, visibility, ota, low, high, horizons),
        to_do=_to_do(lists, ota, plan),
        visibility=visibility,
        matrix_headers=("Entity", *(kind.value for kind in visibility.kinds)),
        matrix_rows=tuple(
            (row.entity.name, *(cell.status.value if cell.status else "" for cell in row.cells))
            for row in visibility.rows
        ),
        not_live_rows=tuple((e.name, c.name, c.kind.value, c.status.value) for e, c in visibility.not_live),
        ota=ota,
        ota_rows=tuple(_ota_row(step) for step in ota),
        ota_order=order,
        lists=lists,
        list_bars=tuple((f"{m.entity}: {m.channel} ({m.status.value})", m.size) for m in lists.lists),
        opportunities=chances,
        opportunity_rows=tuple(
            (
                o.title,
                names.get(o.entity, o.entity),
                o.channel,
                f"{money(o.low)}-{money(o.high)}",
                o.source.file,
            )
            for o in chances
        ),
        opportunity_low=low,
        opportunity_high=high,
        horizons=tuple(horizons),
        milestone_rows=tuple(_milestone_row(h.days, m) for h in horizons for m in h.milestones),
    )


def metrics(brief: CmoBrief) -> dict[str, Metric]:
    """Return the CMO figures followed from one report to the next."""
    return {
        "reach": Metric("People on lists", Decimal(brief.lists.total), "count"),
        "live": Metric("Channels live", Decimal(brief.visibility.live), "count"),
    }


def _headline(lists: marketing.ListSizes, visibility: marketing.Visibility, order: str) -> str:
    parts = [f"{number(lists.total)} people on the email lists" if lists.lists else "no email list recorded"]
    parts.append(f"{visibility.live} of {visibility.total} channels live")
    if order:
        parts.append(f"OTAs {order}")
    return ", ".join(parts)


def _key_figures(lists, visibility, ota, low, high, horizons) -> tuple[tuple[str, str, str], ...]:
    paused = sum(m.status is not ChannelStatus.LIVE for m in lists.lists)
    listed = sum(len(step.live_on) for step in ota)
    wanted = sum(len(step.entities) for step in ota)
    due_30 = len(horizons[0].milestones) if horizons else 0
    return (
        (
            "On the email lists",
            number(lists.total),
            f"{_plural(len(lists.lists), 'list')}, {paused} not live",
        ),
        ("Channels live", f"{visibility.live}/{visibility.total}", "across the entities"),
        ("OTA listings live", f"{listed}/{wanted}", f"{len(ota)} OTAs in the sequence"),
        ("Opportunities", f"{money(low)}-{money(high)}", "written down in the handoffs"),
        ("Milestones in 30 days", str(due_30), "marketing and sales"),
    )


def _to_do(lists: marketing.ListSizes, ota, plan: list[priorities.PlannedAction]) -> tuple[str, ...]:
    """Lead with the CMO's actions due soon; add a paused list or the next OTA step no action covers."""
    lines = [f"{item.action.title} (due {item.action.due}, {item.action.priority.value})" for item in plan]
    covered = " ".join(item.action.title.lower() for item in plan)
    lines += [
        f"Restart the {m.entity} {m.channel}: {number(m.size)} people, {m.status.value} today."
        for m in lists.lists
        if m.status is not ChannelStatus.LIVE and m.channel.lower() not in covered
    ]
    next_step = next((step for step in ota if len(step.live_on) < len(step.entities)), None)
    if next_step and next_step.name.lower() not in covered:
        missing = " and ".join(name for name in next_step.entities if name not in next_step.live_on)
        lines.append(f"List {missing} on {next_step.name} (OTA step {next_step.sequence}).")
    return tuple(lines[:TO_DO])


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _ota_row(step: marketing.OtaStep) -> tuple[str, ...]:
    if len(step.live_on) == len(step.entities):
        standing = "live on all"
    elif step.live_on:
        standing = f"live for {', '.join(step.live_on)}"
    else:
        standing = "not listed yet"
    return (str(step.sequence), step.name, ", ".join(step.entities), standing)


def _milestone_row(days: int, dated: priorities.DatedMilestone) -> tuple[str, ...]:
    milestone = dated.milestone
    when = f"{-dated.days_left} days late" if dated.days_left < 0 else f"in {dated.days_left} days"
    return (
        f"{days} days",
        str(milestone.due),
        when,
        milestone.title,
        milestone.target,
        milestone.status.value.replace("_", " "),
        milestone.source.file,
    )
