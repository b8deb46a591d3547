"""CTO brief: the stack per entity, security gaps, infrastructure cost, UX and dev-cycle gaps,
and the engineering actions in priority order."""

from __future__ import annotations

from datetime import date

from ..analysis import infrastructure, priorities
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area, OwnerRole
from .layout import Bars, Brief, Missing, Section, Table, Tile

ASSETS, HANDOFFS = "assets.csv", "projects/*.md (handoffs)"
PRODUCT_AREAS = {Area.UX, Area.DEVOPS, Area.ENGINEERING}


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> Brief:
    """Return the CTO's brief as of `today`."""
    cost = infrastructure.infrastructure_cost(kb.assets, kb.ledger, kb.accounts, today=today)
    security = priorities.rank_shortfalls(kb.projects, areas={Area.SECURITY})
    product = priorities.rank_shortfalls(kb.projects, areas=PRODUCT_AREAS)
    actions = priorities.actions_for(kb.projects, OwnerRole.CTO)
    billed = (
        f"billed {money(cost.aws_billed_monthly, cents=True)}/mo"
        if cost.aws_billed_monthly
        else "no AWS invoices"
    )
    return Brief(
        headline=f"{len(security)} security gaps, AWS {money(cost.aws_monthly, cents=True)}/mo",
        tiles=(
            Tile("Security gaps", str(len(security)), "open in the handoffs"),
            Tile("AWS", f"{money(cost.aws_monthly, cents=True)}/mo", billed),
            Tile("Engineering actions", str(len(actions)), "owned by the CTO"),
        ),
        to_do=tuple(f"{a.action.title} (due {a.action.due})" for a in actions[:3]),
        sections=(
            _gaps_section("Security gaps", security),
            _cost_section(cost),
            _stack_section(kb),
            _gaps_section("UX and dev-cycle gaps", product),
            _actions_section(actions),
        ),
        figures={"aws": cost.aws_monthly, "security_gaps": len(security), "actions": len(actions)},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the CTO figures followed from one report to the next."""
    return {
        "aws": Metric("AWS", brief.figures["aws"], "money"),
        "security_gaps": Metric("Security gaps", brief.figures["security_gaps"], "count"),
    }


def _gaps_section(title: str, ranked) -> Section:
    if not ranked:
        return Section(title, HANDOFFS, (Missing("none recorded in the handoffs"),))
    rows = tuple((r.shortfall.severity.value, r.shortfall.title, r.shortfall.detail) for r in ranked)
    return Section(title, HANDOFFS, (Table(("Severity", "Gap", "Detail"), rows),))


def _cost_section(cost) -> Section:
    if not cost.by_service:
        return Section(
            "Infrastructure cost", ASSETS, (Missing("no running cloud, domain or software assets"),)
        )
    chart = Bars(tuple((line.name, line.monthly) for line in cost.by_service))
    entities = Table(
        ("Entity", "Assets", "Monthly"),
        tuple((line.name, str(line.count), money(line.monthly, cents=True)) for line in cost.by_entity),
        right=(1, 2),
    )
    return Section("Infrastructure cost per month, by service and by entity", ASSETS, (chart, entities))


def _stack_section(kb: KnowledgeBase) -> Section:
    stacks = infrastructure.stacks(kb.assets)
    if not stacks:
        return Section("Stack by entity", ASSETS, (Missing("no cloud assets in assets.csv"),))
    rows = tuple(
        (entity, service, ", ".join(a.identifier for a in assets))
        for entity, services in stacks.items()
        for service, assets in sorted(services.items())
    )
    return Section("Stack by entity", ASSETS, (Table(("Entity", "Service", "Resources"), rows),))


def _actions_section(actions) -> Section:
    if not actions:
        return Section("Engineering actions", HANDOFFS, (Missing("no actions owned by the CTO"),))
    rows = tuple(
        (str(i), a.action.priority.value, a.action.title, str(a.action.due)) for i, a in enumerate(actions, 1)
    )
    return Section(
        "Engineering actions, by priority", HANDOFFS, (Table(("#", "Priority", "Action", "Due"), rows),)
    )
