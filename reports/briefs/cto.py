"""CTO brief: security gaps and the engineering actions first, then what the estate costs (the
AWS bill apart), the stack of each entity, and the UX and dev-cycle gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import infrastructure, priorities
from ..formatting import money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area, OwnerRole, Severity
from .ceo import entity_names

SECURITY = {Area.SECURITY}
PRODUCT = {Area.UX, Area.DEVOPS, Area.ENGINEERING}  # how the product is built, shipped and used
TO_DO = 3
PLAN_DAYS = priorities.PLAN_DAYS


@dataclass(frozen=True)
class CtoBrief:
    """Everything the CTO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    to_do: tuple[str, ...]
    security: tuple[priorities.Ranked, ...]
    security_rows: tuple[tuple[str, ...], ...]  # severity, gap, detail, entity, handoff file
    actions: tuple[priorities.PlannedAction, ...]  # every action the CTO owns
    action_rows: tuple[tuple[str, ...], ...]  # rank, priority, action, due, when, handoff file
    cost: infrastructure.InfraCost
    service_bars: tuple[tuple[str, Decimal], ...]  # service (AWS marked), monthly
    entity_rows: tuple[tuple[str, ...], ...]  # entity, assets, monthly
    aws_note: str  # the inventory's AWS total against the invoices, or why there are none
    stack_rows: tuple[tuple[str, ...], ...]  # entity, service, resources, monthly
    product: tuple[priorities.Ranked, ...]
    product_rows: tuple[tuple[str, ...], ...]  # severity, area, gap, detail, handoff file


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> CtoBrief:
    """Return the CTO's brief as of `today`."""
    names = entity_names(kb)
    cost = infrastructure.infrastructure_cost(kb.assets, kb.ledger, kb.accounts, today=today)
    security = priorities.rank_shortfalls(kb.projects, areas=SECURITY)
    product = priorities.rank_shortfalls(kb.projects, areas=PRODUCT)
    actions = priorities.actions_owned_by(kb.projects, OwnerRole.CTO, today=today)
    return CtoBrief(
        headline=_headline(security, cost, actions),
        key_figures=_key_figures(security, product, cost, actions),
        to_do=tuple(_to_do_line(item) for item in actions[:TO_DO]),
        security=tuple(security),
        security_rows=tuple(_gap_row(r, names) for r in security),
        actions=tuple(actions),
        action_rows=tuple(_action_row(index, item) for index, item in enumerate(actions, start=1)),
        cost=cost,
        service_bars=tuple((_service_label(line, kb), line.monthly) for line in cost.by_service),
        entity_rows=tuple(
            (names.get(line.name, line.name), str(line.count), money(line.monthly, cents=True))
            for line in cost.by_entity
        ),
        aws_note=_aws_note(cost),
        stack_rows=_stack_rows(infrastructure.stacks(kb.assets), names),
        product=tuple(product),
        product_rows=tuple(
            (
                r.shortfall.severity.value,
                r.shortfall.area.value,
                r.shortfall.title,
                r.shortfall.detail,
                r.shortfall.source.file,
            )
            for r in product
        ),
    )


def metrics(brief: CtoBrief) -> dict[str, Metric]:
    """Return the CTO figures followed from one report to the next."""
    return {
        "aws": Metric("AWS", brief.cost.aws_monthly, "money"),
        "security_gaps": Metric("Security gaps", Decimal(len(brief.security)), "count"),
        "actions": Metric("Engineering actions", Decimal(len(brief.actions)), "count"),
    }


def _urgent(ranked: list[priorities.Ranked]) -> int:
    return sum(r.shortfall.severity in (Severity.CRITICAL, Severity.HIGH) for r in ranked)


def _headline(security, cost, actions) -> str:
    gaps = f"{len(security)} security gap{'' if len(security) == 1 else 's'} ({_urgent(security)} urgent)"
    overdue = sum(item.overdue for item in actions)
    tail = f", {overdue} overdue" if overdue else ""
    tail = f", {len(actions)} engineering action{'' if len(actions) == 1 else 's'}{tail}"
    return f"{gaps}, AWS {money(cost.aws_monthly, cents=True)}/mo{tail}"


def _key_figures(security, product, cost, actions) -> tuple[tuple[str, str, str], ...]:
    soon = sum(item.days_left <= PLAN_DAYS for item in actions)
    billed = f"invoices {money(cost.billed_monthly, cents=True)}/mo" if cost.billed_monthly else "no invoices"
    return (
        ("Security gaps", str(len(security)), f"{_urgent(security)} critical or high"),
        ("AWS", f"{money(cost.aws_monthly, cents=True)}/mo", billed),
        ("Engineering actions", str(len(actions)), f"{soon} due within {PLAN_DAYS} days"),
        ("Technology estate", f"{money(cost.monthly, cents=True)}/mo", "cloud, domains, software"),
        ("UX and dev-cycle gaps", str(len(product)), f"{_urgent(product)} critical or high"),
    )


def _when(item: priorities.PlannedAction) -> str:
    if item.overdue:
        return f"{-item.days_left} days overdue"
    return "today" if item.days_left == 0 else f"in {item.days_left} days"


def _to_do_line(item: priorities.PlannedAction) -> str:
    return f"{item.action.title} ({item.action.priority.value}, due {item.action.due}, {_when(item)})"


def _gap_row(ranked: priorities.Ranked, names: dict[str, str]) -> tuple[str, ...]:
    gap = ranked.shortfall
    entity = names.get(ranked.project.entity, ranked.project.entity)
    return (gap.severity.value, gap.title, gap.detail, entity, gap.source.file)


def _action_row(index: int, item: priorities.PlannedAction) -> tuple[str, ...]:
    action = item.action
    return (str(index), action.priority.value, action.title, str(action.due), _when(item), action.source.file)


def _stack_rows(stacks, names: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Return one row per entity and service, entities by name, each name shown once."""
    rows = []
    for stack in sorted(stacks, key=lambda stack: names.get(stack.entity, stack.entity)):
        for index, service in enumerate(stack.services):
            name = names.get(stack.entity, stack.entity) if index == 0 else ""
            rows.append(
                (name, service.service, ", ".join(service.identifiers), money(service.monthly, cents=True))
            )
    return tuple(rows)


def _service_label(line, kb: KnowledgeBase) -> str:
    aws = any(asset.service.value == line.name and asset.is_aws for asset in kb.assets)
    return f"{line.name} (AWS)" if aws else line.name


def _aws_note(cost: infrastructure.InfraCost) -> str:
    listed = f"The inventory's AWS resources add up to {money(cost.aws_monthly, cents=True)} a month"
    months = infrastructure.BILLED_MONTHS
    if cost.billed_monthly is None:
        return f"{listed}; no cloud invoices in the last {months} full months to check it against."
    gap = cost.unlisted
    verdict = (
        f"{money(gap, cents=True)} a month is billed for resources the inventory does not list: find them."
        if gap > 0
        else "the inventory covers the bill."
    )
    billed = money(cost.billed_monthly, cents=True)
    return f"{listed}; the cloud invoices average {billed} over {months} full months, so {verdict}"
