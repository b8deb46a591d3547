"""CTO brief: security gaps and the engineering actions first, then what the estate costs (the
AWS bill apart), the stack of each entity, and the UX and dev-cycle gaps.

With the live AWS source (`account`), the security gaps are the handoffs' merged with the audit's
findings (briefs/audit.py says how duplicates collapse), the AWS figure is the real bill, checked
three ways against the inventory and the ledger, and the findings of the previous sent report
that are gone are listed as fixed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..account.model import Account
from ..analysis import infrastructure, priorities
from ..formatting import Figure, long_month, money, show
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import Area, OwnerRole, Severity
from . import audit, rows
from .audit import LiveAws, SecurityRow
from .ceo import entity_names
from .rows import Bar, Phrase, PlanRow, Tile

SECURITY = {Area.SECURITY}
PRODUCT = {Area.UX, Area.DEVOPS, Area.ENGINEERING}  # how the product is built, shipped and used
TO_DO = 3
URGENT = (Severity.CRITICAL, Severity.HIGH)
PLAN_DAYS = priorities.PLAN_DAYS


@dataclass(frozen=True)
class GapRow:
    """One shortfall from the handoffs, ranked: security gaps, or UX and dev-cycle gaps."""

    severity: Severity
    area: Area
    title: str
    detail: str
    entity: str
    file: str


@dataclass(frozen=True)
class CostRow:
    """What one entity's running technology assets cost a month."""

    entity: str
    assets: int
    monthly: Decimal


@dataclass(frozen=True)
class StackRow:
    """One service of an entity's stack; the entity is named on its first service only."""

    entity: str
    service: str
    resources: str  # the assets' identifiers, comma-separated
    monthly: Decimal


@dataclass(frozen=True)
class CtoBrief:
    """Everything the CTO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    to_do: tuple[str, ...]
    security: tuple[SecurityRow, ...]  # the handoffs' gaps, merged with the live audit's findings
    actions: tuple[PlanRow, ...]  # every action the CTO owns, by priority
    cost: infrastructure.InfraCost
    service_bars: tuple[Bar, ...]  # service (AWS marked), monthly
    entity_costs: tuple[CostRow, ...]
    aws_note: str  # the inventory's AWS total against the invoices, or why there are none
    stack: tuple[StackRow, ...]
    product: tuple[GapRow, ...]
    live: LiveAws | None = None  # None: the live AWS source was not consulted (no line about it)
    bill_note: str | None = None  # the real bill against the inventory and the ledger

    @property
    def security_table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """Every security gap, for the CSV attached when the email shows only the top ones."""
        return audit.security_table(self.security)

    finding_marks: dict = field(default_factory=dict)  # kept with the sent report: "fixed since"


def build(
    kb: KnowledgeBase,
    *,
    today: date,
    entity: Entity | None = None,
    account: Account | None = None,
    previous: dict | None = None,
) -> CtoBrief:
    """Return the CTO's brief as of `today`; `account` is the live AWS source (None: not read),
    `previous` the last sent CTO report's record (for what was fixed since)."""
    names = entity_names(kb)
    cost = infrastructure.infrastructure_cost(kb.assets, kb.ledger, kb.accounts, today=today)
    gaps = tuple(_security_row(r, names) for r in priorities.rank_shortfalls(kb.projects, areas=SECURITY))
    security = gaps if account is None else audit.merge_security(gaps, account.findings)
    product = priorities.rank_shortfalls(kb.projects, areas=PRODUCT)
    actions = priorities.actions_owned_by(kb.projects, OwnerRole.CTO, today=today)
    live = None if account is None else audit.live_aws(account, previous, cost)
    return CtoBrief(
        headline=_headline(security, cost, actions, live),
        key_figures=_key_figures(security, product, cost, actions, live),
        to_do=tuple(_to_do_line(item) for item in actions[:TO_DO]),
        security=security,
        actions=tuple(rows.plan_row(item) for item in actions),
        cost=cost,
        service_bars=tuple(Bar(_service_label(line, kb), line.monthly) for line in cost.by_service),
        entity_costs=tuple(
            CostRow(names.get(line.name, line.name), line.count, line.monthly) for line in cost.by_entity
        ),
        aws_note=_aws_note(cost),
        stack=_stack_rows(infrastructure.stacks(kb.assets), names),
        product=tuple(_gap_row(r, names) for r in product),
        live=live,
        bill_note=None if live is None or live.bill is None else _bill_note(live.bill, cost),
        finding_marks=audit.marks(account),
    )


def metrics(brief: CtoBrief) -> dict[str, Metric]:
    """Return the CTO figures followed from one report to the next."""
    found = {
        "aws": Metric("AWS", brief.cost.aws_monthly, "money"),
        "security_gaps": Metric("Security gaps", Decimal(len(brief.security)), "count"),
        "actions": Metric("Engineering actions", Decimal(len(brief.actions)), "count"),
    }
    if brief.live is not None and brief.live.bill is not None:
        found["aws_billed"] = Metric("AWS bill", brief.live.bill.billed, "money")
    return found


def _urgent(ranked: list[priorities.Ranked]) -> int:
    return sum(r.shortfall.severity in URGENT for r in ranked)


def _urgent_rows(security: tuple[SecurityRow, ...]) -> int:
    return sum(row.severity in URGENT for row in security)


def _headline(security, cost, actions, live: LiveAws | None) -> str:
    found_live = f"; {live.findings} found live" if live is not None and live.findings else ""
    count = f"{len(security)} security gap{'' if len(security) == 1 else 's'}"
    gaps = f"{count} ({_urgent_rows(security)} urgent{found_live})"
    overdue = sum(item.overdue for item in actions)
    tail = f", {overdue} overdue" if overdue else ""
    tail = f", {len(actions)} action{'' if len(actions) == 1 else 's'}{tail}"
    if live is not None and live.bill is not None:
        return f"{gaps}, AWS {money(live.bill.billed, cents=True)} billed{tail}"
    return f"{gaps}, AWS {money(cost.aws_monthly, cents=True)}/mo{tail}"


def _key_figures(security, product, cost, actions, live: LiveAws | None) -> tuple[Tile, ...]:
    soon = sum(item.days_left <= PLAN_DAYS for item in actions)
    urgent: Phrase = (_urgent_rows(security), " critical or high")
    if live is not None and live.findings:
        urgent = (*urgent, "; ", live.findings, " from the live audit")
    return (
        Tile("Security gaps", len(security), urgent),
        _aws_tile(cost, live),
        Tile("Engineering actions", len(actions), (soon, f" due within {PLAN_DAYS} days")),
        Tile("Technology estate", Figure(cost.monthly, "per_month_cents"), "cloud, domains, software"),
        Tile("UX and dev-cycle gaps", len(product), (_urgent(product), " critical or high")),
    )


def _aws_tile(cost: infrastructure.InfraCost, live: LiveAws | None) -> Tile:
    """The real bill of the last full month when Cost Explorer was read, else the inventory's."""
    if live is None or live.bill is None:
        return Tile("AWS", Figure(cost.aws_monthly, "per_month_cents"), _billed_note(cost))
    return Tile(
        "AWS", Figure(live.bill.billed, "per_month_cents"), ("billed ", Figure(live.bill.month, "month"))
    )


def _billed_note(cost: infrastructure.InfraCost) -> Phrase:
    """Say what the AWS bill is, or why there is none to compare the inventory with."""
    if not cost.bill_accounts:
        return "no AWS bill account"
    if cost.billed_monthly is None:
        return "no AWS invoices"
    return ("invoices ", Figure(cost.billed_monthly, "per_month_cents"))


def _to_do_line(item: priorities.PlannedAction) -> str:
    when = show(rows.due_when(item.days_left, item.overdue))
    return f"{item.action.title} ({item.action.priority.value}, due {item.action.due}, {when})"


def _security_row(ranked: priorities.Ranked, names: dict[str, str]) -> SecurityRow:
    gap = ranked.shortfall
    entity = names.get(ranked.project.entity, ranked.project.entity)
    return SecurityRow(gap.severity, gap.title, gap.detail, entity, gap.source.file)


def _gap_row(ranked: priorities.Ranked, names: dict[str, str]) -> GapRow:
    gap = ranked.shortfall
    entity = names.get(ranked.project.entity, ranked.project.entity)
    return GapRow(gap.severity, gap.area, gap.title, gap.detail, entity, gap.source.file)


def _stack_rows(stacks, names: dict[str, str]) -> tuple[StackRow, ...]:
    """Return one row per entity and service, entities by name, each name shown once."""
    lines = []
    for stack in sorted(stacks, key=lambda stack: names.get(stack.entity, stack.entity)):
        for index, service in enumerate(stack.services):
            name = names.get(stack.entity, stack.entity) if index == 0 else ""
            lines.append(StackRow(name, service.service, ", ".join(service.identifiers), service.monthly))
    return tuple(lines)


def _service_label(line, kb: KnowledgeBase) -> str:
    aws = any(asset.service.value == line.name and asset.is_aws for asset in kb.assets)
    return f"{line.name} (AWS)" if aws else line.name


def _aws_note(cost: infrastructure.InfraCost) -> str:
    listed = f"The inventory's AWS resources add up to {money(cost.aws_monthly, cents=True)} a month"
    months = infrastructure.BILLED_MONTHS
    if not cost.bill_accounts:
        return (
            f"{listed}; no account in accounts.csv is marked as the AWS bill (vendor = aws), "
            "so the inventory cannot be checked against what AWS charges."
        )
    accounts = ", ".join(cost.bill_accounts)
    if cost.billed_monthly is None:
        return f"{listed}; the AWS bill ({accounts}) has no invoice in the last {months} full months."
    gap = cost.unlisted
    verdict = (
        f"{money(gap, cents=True)} a month is billed for resources the inventory does not list: find them."
        if gap > 0
        else "the inventory covers the bill."
    )
    billed = money(cost.billed_monthly, cents=True)
    return f"{listed}; the AWS invoices ({accounts}) average {billed} over {months} full months, so {verdict}"


def _bill_note(bill: infrastructure.BillCheck, cost: infrastructure.InfraCost) -> str:
    """Say the real bill, the inventory and the ledger side by side, and what each gap means."""
    billed = f"AWS billed {money(bill.billed, cents=True)} for {long_month(bill.month)} (Cost Explorer)"
    listed = f"the inventory's AWS resources add up to {money(bill.inventory, cents=True)} a month"
    ledger, booked = _ledger_side(bill, cost)
    return (
        f"Real bill vs inventory vs ledger: {billed}; {listed}; {ledger}. So {_inventory_side(bill)}{booked}."
    )


def _inventory_side(bill: infrastructure.BillCheck) -> str:
    gap = money(abs(bill.unlisted), cents=True)
    if bill.unlisted > 0:
        return f"{gap} a month is billed for resources the inventory does not list: find them"
    if bill.unlisted < 0:
        return f"the inventory lists {gap} a month more than AWS billed: correct it"
    return "the inventory matches the bill"


def _ledger_side(bill: infrastructure.BillCheck, cost: infrastructure.InfraCost) -> tuple[str, str]:
    """Return what the ledger says of the AWS bill, and what its gap to the real bill means."""
    months = infrastructure.BILLED_MONTHS
    if not cost.bill_accounts:
        return "no account in accounts.csv is marked as the AWS bill (vendor = aws)", ""
    if bill.ledger is None:
        return f"the ledger has no AWS invoice in the last {months} full months", "; book the invoices"
    accounts = ", ".join(cost.bill_accounts)
    average = money(bill.ledger, cents=True)
    said = f"the ledger's AWS invoices ({accounts}) average {average} over {months} full months"
    gap = money(abs(bill.unbooked), cents=True)
    if bill.unbooked > 0:
        return said, f"; the ledger books {gap} a month less than the bill: invoices are missing"
    if bill.unbooked < 0:
        return said, f"; the ledger books {gap} a month more than the bill: check the bookings"
    return said, "; the ledger matches the bill"
