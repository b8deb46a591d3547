"""CEO brief: money first, then ranked shortfalls, the 30-day plan, untracked KPIs, the live
operating counts and the asset inventory across entities; with the live AWS source, its critical
findings beside the shortfalls (each becomes a task card, as the top shortfalls do)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..account.model import Account, Finding
from ..analysis import finance, inventory, priorities
from ..analysis.provenance import Provenance, at
from ..formatting import Figure, show
from ..history import Metric
from ..model import SHARED_ENTITY, Entity, KnowledgeBase
from ..vocabulary import Area, Severity
from . import cash, rows
from .rows import Bar, Phrase, PlanRow, Tile

TOP_SHORTFALLS = 8  # the shortfalls a CEO reads in full; the rest are counted by severity
PLAN_ROWS = 12  # likewise for the 30-day plan: overdue and most urgent first
TO_DO = 4  # the actions the brief leads with


@dataclass(frozen=True)
class ShortfallRow:
    """One ranked shortfall, its entity by name and the handoff file it comes from."""

    rank: int
    severity: Severity
    area: Area
    title: str
    entity: str
    file: str


@dataclass(frozen=True)
class KpiRow:
    """One KPI defined in a handoff that nobody measures yet."""

    name: str
    area: Area
    target: Phrase  # "1,000 charters", or "no target set"
    entity: str
    file: str


@dataclass(frozen=True)
class InventoryRow:
    """The running assets of one type at one entity, and what they cost a month."""

    entity: str
    type: str
    count: int
    monthly: Decimal


@dataclass(frozen=True)
class CeoBrief:
    """Everything the CEO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    to_do: tuple[str, ...]
    provenance: dict[str, Provenance]  # each followed figure: its rows, window and cut-off
    burn: finance.BurnRate
    runway_months: Decimal | None
    cash_on_hand: Decimal
    money_note: str  # how burn and runway were worked out, or why they are missing
    shortfall_count: int
    critical_count: int
    shortfalls: tuple[ShortfallRow, ...]  # the top TOP_SHORTFALLS
    shortfalls_left: str  # "21 more: 9 high, 9 medium, 3 low", or ""
    plan: tuple[PlanRow, ...]  # every action due within the plan's days
    plan_shown: int  # how many of them the table lists (PLAN_ROWS at most)
    plan_days: int
    overdue_count: int
    kpi_count: int
    untracked: tuple[KpiRow, ...]
    inventory: inventory.Inventory
    entity_bars: tuple[Bar, ...]  # entity name, monthly cost
    inventory_lines: tuple[InventoryRow, ...]  # by entity, then type
    unowned: tuple[str, ...]  # running assets nobody answers for: "Canva Pro (Shared)"
    audit_critical: tuple[Finding, ...] = ()  # the live AWS audit's critical findings (task cards)


def entity_names(kb: KnowledgeBase) -> dict[str, str]:
    """Return entity id -> display name, the shared rows named as such."""
    return {SHARED_ENTITY: "Shared", **{entity.id: entity.name for entity in kb.entities}}


def build(
    kb: KnowledgeBase,
    *,
    today: date,
    entity: Entity | None = None,
    sent: date | None = None,
    account: Account | None = None,
) -> CeoBrief:
    """Return the CEO's brief: figures as of `today`, due dates counted from `sent` (the send);
    `account` is the live AWS source (None: not read)."""
    names = entity_names(kb)
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    runway = finance.runway(kb.portfolio.cash_on_hand, burn)
    ranked = priorities.rank_shortfalls(kb.projects)
    plan = priorities.action_plan(kb.projects, today=sent or today)
    untracked = priorities.untracked_kpis(kb.projects)
    assets = inventory.asset_inventory(kb.assets)
    critical = sum(r.shortfall.severity is Severity.CRITICAL for r in ranked)
    return CeoBrief(
        headline=_headline(burn, runway, critical),
        key_figures=_key_figures(kb, burn, runway, ranked, critical, plan, untracked, assets),
        to_do=tuple(_to_do_line(item) for item in plan[:TO_DO]),
        provenance=_provenance(kb, burn, ranked, untracked, today),
        burn=burn,
        runway_months=runway,
        cash_on_hand=kb.portfolio.cash_on_hand,
        money_note=_money_note(burn, runway),
        shortfall_count=len(ranked),
        critical_count=critical,
        shortfalls=tuple(_shortfall_row(r, names) for r in ranked[:TOP_SHORTFALLS]),
        shortfalls_left=_left_over(ranked[TOP_SHORTFALLS:]),
        plan=tuple(rows.plan_row(item) for item in plan),
        plan_shown=min(len(plan), PLAN_ROWS),
        plan_days=priorities.PLAN_DAYS,
        overdue_count=sum(item.overdue for item in plan),
        kpi_count=sum(len(project.kpis) for project in kb.projects),
        untracked=tuple(_kpi_row(item, names) for item in untracked),
        inventory=assets,
        entity_bars=tuple(Bar(names.get(line.name, line.name), line.monthly) for line in assets.by_entity),
        inventory_lines=tuple(
            InventoryRow(names.get(entity_id, entity_id), line.name, line.count, line.monthly)
            for entity_id, line in assets.by_entity_and_type
        ),
        unowned=tuple(f"{a.name} ({names.get(a.entity, a.entity)})" for a in assets.unowned),
        audit_critical=critical_findings(account),
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


def critical_findings(account: Account | None) -> tuple[Finding, ...]:
    """Return the live audit's critical findings: every one becomes a task card after the CEO
    report is sent (once each, ever: the card's id comes from the finding's key)."""
    if account is None:
        return ()
    return tuple(finding for finding in account.findings if finding.severity is Severity.CRITICAL)


def _headline(burn: finance.BurnRate, runway: Decimal | None, critical: int) -> str:
    parts = [cash.burn_phrase(burn)]
    if runway is not None:
        parts.append(f"{runway} months of runway")
    parts.append(f"{critical} critical shortfall{'' if critical == 1 else 's'}")
    return ", ".join(parts)


def _key_figures(kb, burn, runway, ranked, critical, plan, untracked, assets) -> tuple[Tile, ...]:
    overdue = sum(item.overdue for item in plan)
    return (
        Tile("Burn", rows.per_month(burn.monthly), cash.covers(burn)),
        Tile("Runway", Figure(runway, "months"), ("on ", rows.money(kb.portfolio.cash_on_hand))),
        Tile("Critical shortfalls", critical, ("of ", len(ranked), " open")),
        Tile("Due in 30 days", len(plan), (overdue, " overdue") if overdue else "none overdue"),
        Tile("KPIs not tracked", len(untracked), ("of ", sum(len(p.kpis) for p in kb.projects), " defined")),
        Tile("Assets", rows.per_month(assets.monthly), (Figure(assets.count, "number"), " running")),
    )


def _money_note(burn: finance.BurnRate, runway: Decimal | None) -> str:
    if burn.monthly is None:
        return "No ledger rows in the last three full months: burn and runway cannot be computed."
    span = cash.covers(burn)
    caveat = " Provisional: it averages only the months that have ledger rows." if burn.provisional else ""
    if runway is None:
        return (
            f"Money came in faster than it went out over {span}: nothing burns, so no runway limit.{caveat}"
        )
    return f"Burn is the average net outflow over {span}; runway is cash on hand divided by it.{caveat}"


def _provenance(kb, burn, ranked, untracked, today) -> dict[str, Provenance]:
    """Where each followed figure comes from: ledger rows for money, handoff lines for the counts."""
    critical = [r.shortfall.source for r in ranked if r.shortfall.severity is Severity.CRITICAL]
    return {
        **cash.provenance(burn, today),
        "critical": at(critical, today, fallback="projects/*.md (no critical shortfall)"),
        "untracked": at([item.kpi.source for item in untracked], today, fallback="projects/*.md (none)"),
    }


def _to_do_line(item: priorities.PlannedAction) -> str:
    action = item.action
    when = show(rows.due_when(item.days_left, item.overdue))
    detail = f"{action.owner_role.value}, {action.priority.value}, due {action.due}, {when}"
    return f"{action.title} ({detail})"


def _shortfall_row(ranked: priorities.Ranked, names: dict[str, str]) -> ShortfallRow:
    gap = ranked.shortfall
    entity = names.get(ranked.project.entity, ranked.project.entity)
    return ShortfallRow(ranked.rank, gap.severity, gap.area, gap.title, entity, gap.source.file)


def _left_over(rest: list[priorities.Ranked]) -> str:
    if not rest:
        return ""
    counts = Counter(r.shortfall.severity for r in rest)
    spread = ", ".join(f"{counts[level]} {level.value}" for level in Severity if counts[level])
    return f"{len(rest)} more open: {spread}."


def _kpi_row(item: priorities.UntrackedKpi, names: dict[str, str]) -> KpiRow:
    kpi = item.kpi
    unit = f" {kpi.unit}".rstrip()
    target = (Figure(kpi.target, "number"), unit) if kpi.target is not None else "no target set"
    entity = names.get(item.project.entity, item.project.entity)
    return KpiRow(kpi.name, kpi.area, target, entity, kpi.source.file)
