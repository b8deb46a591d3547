"""CEO brief: money first, then ranked shortfalls, the 30-day plan, untracked KPIs, the live
operating counts and the asset inventory across entities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import finance, inventory, priorities
from ..formatting import money, number
from ..history import Metric
from ..model import SHARED_ENTITY, Entity, KnowledgeBase
from ..vocabulary import Severity

TOP_SHORTFALLS = 8  # the shortfalls a CEO reads in full; the rest are counted by severity
PLAN_ROWS = 12  # likewise for the 30-day plan: overdue and most urgent first
TO_DO = 4  # the actions the brief leads with


@dataclass(frozen=True)
class CeoBrief:
    """Everything the CEO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    to_do: tuple[str, ...]
    burn: finance.BurnRate
    runway_months: Decimal | None
    cash_on_hand: Decimal
    money_note: str  # how burn and runway were worked out, or why they are missing
    shortfall_count: int
    critical_count: int
    shortfalls: tuple[priorities.Ranked, ...]  # the top TOP_SHORTFALLS
    shortfall_rows: tuple[tuple[str, ...], ...]  # rank, severity, area, title, entity, handoff file
    shortfalls_left: str  # "21 more: 9 high, 9 medium, 3 low", or ""
    plan: tuple[priorities.PlannedAction, ...]  # every action due within the plan's days
    plan_days: int
    plan_rows: tuple[tuple[str, ...], ...]  # due, when, priority, action, owner, handoff file
    overdue_count: int
    kpi_count: int
    untracked: tuple[priorities.UntrackedKpi, ...]
    kpi_rows: tuple[tuple[str, ...], ...]  # name, area, target, entity, handoff file
    inventory: inventory.Inventory
    entity_bars: tuple[tuple[str, Decimal], ...]  # entity name, monthly cost
    inventory_rows: tuple[tuple[str, ...], ...]  # entity, type, count, monthly cost
    unowned: tuple[str, ...]  # running assets nobody answers for: "Canva Pro (Shared)"


def entity_names(kb: KnowledgeBase) -> dict[str, str]:
    """Return entity id -> display name, the shared rows named as such."""
    return {SHARED_ENTITY: "Shared", **{entity.id: entity.name for entity in kb.entities}}


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> CeoBrief:
    """Return the CEO's brief as of `today`."""
    names = entity_names(kb)
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    runway = finance.runway(kb.portfolio.cash_on_hand, burn)
    ranked = priorities.rank_shortfalls(kb.projects)
    plan = priorities.action_plan(kb.projects, today=today)
    untracked = priorities.untracked_kpis(kb.projects)
    assets = inventory.asset_inventory(kb.assets)
    critical = sum(r.shortfall.severity is Severity.CRITICAL for r in ranked)
    return CeoBrief(
        headline=_headline(burn, runway, critical),
        key_figures=_key_figures(kb, burn, runway, ranked, critical, plan, untracked, assets),
        to_do=tuple(_to_do_line(item) for item in plan[:TO_DO]),
        burn=burn,
        runway_months=runway,
        cash_on_hand=kb.portfolio.cash_on_hand,
        money_note=_money_note(burn, runway),
        shortfall_count=len(ranked),
        critical_count=critical,
        shortfalls=tuple(ranked[:TOP_SHORTFALLS]),
        shortfall_rows=tuple(_shortfall_row(r, names) for r in ranked[:TOP_SHORTFALLS]),
        shortfalls_left=_left_over(ranked[TOP_SHORTFALLS:]),
        plan=tuple(plan),
        plan_days=priorities.PLAN_DAYS,
        plan_rows=tuple(_plan_row(item) for item in plan[:PLAN_ROWS]),
        overdue_count=sum(item.overdue for item in plan),
        kpi_count=sum(len(project.kpis) for project in kb.projects),
        untracked=tuple(untracked),
        kpi_rows=tuple(_kpi_row(item, names) for item in untracked),
        inventory=assets,
        entity_bars=tuple((names.get(line.name, line.name), line.monthly) for line in assets.by_entity),
        inventory_rows=tuple(
            (names.get(entity_id, entity_id), line.name, str(line.count), money(line.monthly, cents=True))
            for entity_id, line in assets.by_entity_and_type
        ),
        unowned=tuple(f"{a.name} ({names.get(a.entity, a.entity)})" for a in assets.unowned),
    )


def metrics(brief: CeoBrief) -> dict[str, Metric]:
    """Return the CEO figures followed from one report to the next."""
    return {
        "burn": Metric("Burn", brief.burn.monthly, "money"),
        "runway_months": Metric("Runway", brief.runway_months, "months"),
        "critical": Metric("Critical shortfalls", Decimal(brief.critical_count), "count"),
        "untracked": Metric("Untracked KPIs", Decimal(len(brief.untracked)), "count"),
    }


def top_shortfalls(kb: KnowledgeBase, count: int = 3) -> list[priorities.Ranked]:
    """Return the shortfalls that become task cards after the CEO report is sent."""
    return priorities.rank_shortfalls(kb.projects)[:count]


def _headline(burn: finance.BurnRate, runway: Decimal | None, critical: int) -> str:
    parts = [f"burn {money(burn.monthly)}/mo" if burn.monthly is not None else "burn unknown"]
    if runway is not None:
        parts.append(f"{runway} months of runway")
    parts.append(f"{critical} critical shortfall{'' if critical == 1 else 's'}")
    return ", ".join(parts)


def _key_figures(kb, burn, runway, ranked, critical, plan, untracked, assets) -> tuple:
    months = len(burn.months)
    overdue = sum(item.overdue for item in plan)
    return (
        ("Burn", f"{money(burn.monthly)}/mo" if burn.monthly is not None else "n/a", f"last {months} months"),
        (
            "Runway",
            f"{runway} months" if runway is not None else "n/a",
            f"on {money(kb.portfolio.cash_on_hand)}",
        ),
        ("Critical shortfalls", str(critical), f"of {len(ranked)} open"),
        ("Due in 30 days", str(len(plan)), f"{overdue} overdue" if overdue else "none overdue"),
        ("KPIs not tracked", str(len(untracked)), f"of {sum(len(p.kpis) for p in kb.projects)} defined"),
        ("Assets", f"{money(assets.monthly)}/mo", f"{number(assets.count)} running"),
    )


def _money_note(burn: finance.BurnRate, runway: Decimal | None) -> str:
    if burn.monthly is None:
        return "No ledger rows in the last three full months: burn and runway cannot be computed."
    first, last = burn.months[0].month, burn.months[-1].month
    span = f"{first:%b %Y} - {last:%b %Y}"
    if runway is None:
        return f"Money came in faster than it went out over {span}: nothing burns, so no runway limit."
    return f"Burn is the average net outflow over {span}; runway is cash on hand divided by it."


def _when(item: priorities.PlannedAction) -> str:
    if item.overdue:
        return f"{-item.days_left} days overdue"
    return "today" if item.days_left == 0 else f"in {item.days_left} days"


def _to_do_line(item: priorities.PlannedAction) -> str:
    action = item.action
    detail = f"{action.owner_role.value}, {action.priority.value}, due {action.due}, {_when(item)}"
    return f"{action.title} ({detail})"


def _shortfall_row(ranked: priorities.Ranked, names: dict[str, str]) -> tuple[str, ...]:
    gap = ranked.shortfall
    entity = names.get(ranked.project.entity, ranked.project.entity)
    return (str(ranked.rank), gap.severity.value, gap.area.value, gap.title, entity, gap.source.file)


def _left_over(rest: list[priorities.Ranked]) -> str:
    if not rest:
        return ""
    counts = Counter(r.shortfall.severity for r in rest)
    spread = ", ".join(f"{counts[level]} {level.value}" for level in Severity if counts[level])
    return f"{len(rest)} more open: {spread}."


def _plan_row(item: priorities.PlannedAction) -> tuple[str, ...]:
    action = item.action
    return (
        str(action.due),
        _when(item),
        action.priority.value,
        action.title,
        action.owner_role.value,
        action.source.file,
    )


def _kpi_row(item: priorities.UntrackedKpi, names: dict[str, str]) -> tuple[str, ...]:
    kpi = item.kpi
    target = f"{number(kpi.target)} {kpi.unit}".strip() if kpi.target is not None else "no target set"
    entity = names.get(item.project.entity, item.project.entity)
    return (kpi.name, kpi.area.value, target, entity, kpi.source.file)
