"""CEO brief: the portfolio at a glance — money, ranked shortfalls, untracked KPIs, the 30-day
plan, the asset inventory and the live operating counts."""

from __future__ import annotations

from datetime import date

from ..analysis import finance, infrastructure, priorities
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Severity
from .layout import Bars, Brief, Missing, Note, Section, Table, Tile

HANDOFFS, ASSETS, LEDGER = "projects/*.md (handoffs)", "assets.csv", "ledger.csv"
TOP = 8  # the shortfalls a CEO reads in full; the rest are counted
PLAN_ROWS = 12  # likewise for the 30-day plan: overdue and most urgent first


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> Brief:
    """Return the CEO's brief as of `today`."""
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    months_left = finance.runway(kb.portfolio.cash_on_hand, burn)
    ranked = priorities.rank_shortfalls(kb.projects)
    critical = [r for r in ranked if r.shortfall.severity is Severity.CRITICAL]
    untracked = priorities.untracked_kpis(kb.projects)
    plan = priorities.action_plan(kb.projects, today=today, days=30)
    return Brief(
        headline=f"{len(critical)} critical shortfalls, {months_left or 'n/a'} months of runway",
        tiles=(
            Tile("Burn", f"{money(burn.monthly)}/mo", f"runway {months_left or 'n/a'} months"),
            Tile("Critical shortfalls", str(len(critical)), f"of {len(ranked)} open"),
            Tile("KPIs not tracked", str(len(untracked)), "defined, never measured"),
        ),
        to_do=tuple(
            f"{item.action.title} (due {item.action.due}, {item.action.owner_role.value})"
            for item in plan[:3]
        ),
        sections=(
            _shortfalls_section(ranked),
            _plan_section(plan, today),
            _kpi_section(untracked),
            _inventory_section(kb),
        ),
        figures={
            "burn": burn.monthly,
            "runway_months": months_left,
            "critical": len(critical),
            "untracked": len(untracked),
        },
        show_live=True,
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the CEO figures followed from one report to the next."""
    return {
        "burn": Metric("Burn", brief.figures["burn"], "money"),
        "critical": Metric("Critical shortfalls", brief.figures["critical"], "count"),
        "untracked": Metric("Untracked KPIs", brief.figures["untracked"], "count"),
    }


def top_shortfalls(kb: KnowledgeBase, count: int = 3) -> list[priorities.Ranked]:
    """Return the shortfalls that become task cards after the CEO report is sent."""
    return priorities.rank_shortfalls(kb.projects)[:count]


def _shortfalls_section(ranked) -> Section:
    if not ranked:
        return Section("Shortfalls", HANDOFFS, (Missing("no shortfalls recorded in the handoffs"),))
    rows = tuple(
        (str(r.rank), r.shortfall.severity.value, r.shortfall.area.value, r.shortfall.title, r.project.entity)
        for r in ranked[:TOP]
    )
    table = Table(("#", "Severity", "Area", "Shortfall", "Entity"), rows)
    return Section(
        f"Shortfalls, ranked ({len(ranked)} open, top {min(TOP, len(ranked))})", HANDOFFS, (table,)
    )


def _plan_section(plan, today: date) -> Section:
    if not plan:
        return Section("30-day action plan", HANDOFFS, (Missing("no actions due in the next 30 days"),))
    rows = tuple(
        (
            str(i.action.due) + (" OVERDUE" if i.overdue else ""),
            i.action.priority.value,
            i.action.title,
            i.action.owner_role.value,
        )
        for i in plan[:PLAN_ROWS]
    )
    blocks = [Table(("Due", "Priority", "Action", "Owner"), rows)]
    if len(plan) > PLAN_ROWS:
        blocks.append(Note(f"And {len(plan) - PLAN_ROWS} more actions due within 30 days, in the handoffs."))
    return Section(f"30-day action plan ({len(plan)} actions)", HANDOFFS, tuple(blocks))


def _kpi_section(untracked) -> Section:
    if not untracked:
        return Section("KPIs defined but not tracked", HANDOFFS, (Missing("no KPIs defined"),))
    rows = tuple(
        (kpi.name, kpi.area.value, f"{kpi.target} {kpi.unit}".strip(), p.entity) for kpi, p in untracked
    )
    return Section(
        "KPIs defined but not tracked", HANDOFFS, (Table(("KPI", "Area", "Target", "Entity"), rows),)
    )


def _target(kpi) -> str:
    return f"{kpi.target} {kpi.unit}".strip() if kpi.target is not None else "no target set"


def _inventory_section(kb: KnowledgeBase) -> Section:
    groups = infrastructure.inventory(kb.assets)
    if not groups:
        return Section("Asset inventory", ASSETS, (Missing("no assets in assets.csv"),))
    rows = tuple((entity, kind, str(count), money(cost)) for entity, kind, count, cost in groups)
    by_entity: dict[str, object] = {}
    for entity, _kind, _count, cost in groups:
        by_entity[entity] = by_entity.get(entity, 0) + cost
    chart = Bars(tuple(sorted(by_entity.items(), key=lambda item: item[1], reverse=True)))
    table = Table(("Entity", "Type", "Count", "Monthly cost"), rows, right=(2, 3))
    return Section("Asset inventory: monthly cost by entity", ASSETS, (chart, table))
