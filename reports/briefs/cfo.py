"""CFO brief: burn, runway, break-even, revenue against targets, the rules, capital deployment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import finance, rules
from ..analysis.months import label, last_full_months, month_of
from ..formatting import Figure, money, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase, Source
from ..vocabulary import CapitalStatus, RuleKind
from . import rows
from .rows import Bar, Tile

TREND_MONTHS = 6  # the burn-vs-revenue chart shows half a year; the burn itself averages three months


@dataclass(frozen=True)
class FlowRow:
    """One month of the burn-vs-revenue table and chart (out is positive; net = in - out)."""

    month: date
    revenue: Decimal
    outflow: Decimal
    net: Decimal


@dataclass(frozen=True)
class EconomicsRow:
    """One charter entity's unit economics, which break-even averages."""

    entity: str
    average_price: Decimal
    variable_cost: Decimal
    contribution: Decimal


@dataclass(frozen=True)
class TargetRow:
    """One month's revenue target against the revenue booked (gap = actual - target)."""

    month: date
    target: Decimal
    actual: Decimal
    gap: Decimal


@dataclass(frozen=True)
class RuleRow:
    """One financial rule and how often it was broken."""

    rule: str
    kept: bool
    breaches: int


@dataclass(frozen=True)
class ViolationRow:
    """One breach of a rule, dated by month for monthly rules, with the ledger row to check."""

    rule: str
    when: Figure  # a month ("Oct 2026") for monthly totals, else the day
    amount: Decimal
    detail: str
    source: Source


@dataclass(frozen=True)
class CapitalRow:
    """One item of the capital plan, its entity by name."""

    due: date
    title: str
    entity: str
    status: CapitalStatus
    amount: Decimal


@dataclass(frozen=True)
class CfoBrief:
    """Everything the CFO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    cash_on_hand: Decimal
    burn: finance.BurnRate
    runway_months: Decimal | None
    burn_missing: str | None
    trend: tuple[FlowRow, ...]  # the table and the chart
    break_even: finance.BreakEven
    break_even_missing: str | None
    economics: tuple[EconomicsRow, ...]
    targets: tuple[TargetRow, ...]  # the table and the chart
    targets_missing: str | None
    partial_month: date | None  # today's month, whose actuals are month to date
    rules: tuple[RuleRow, ...]
    violations: tuple[ViolationRow, ...]
    rules_missing: str | None
    capital: finance.CapitalDeployment
    capital_items: tuple[CapitalRow, ...]
    capital_by_entity: tuple[Bar, ...]
    capital_missing: str | None


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> CfoBrief:
    """Return the CFO's brief as of `today`."""
    cash = kb.portfolio.cash_on_hand
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    months_left = finance.runway(cash, burn)
    even = finance.break_even(kb.ledger, kb.accounts, kb.entities, today=today)
    targets = finance.revenue_vs_targets(kb.portfolio, kb.ledger, kb.accounts, today=today)
    checks = rules.check_rules(kb.portfolio, kb.ledger, kb.accounts, today=today)
    capital = finance.capital_deployment(kb.portfolio)
    trend = finance.monthly_flows(kb.ledger, kb.accounts, last_full_months(today, TREND_MONTHS))
    violations = tuple(v for check in checks for v in check.violations)
    return CfoBrief(
        headline=_headline(burn, months_left, even),
        key_figures=_key_figures(cash, burn, months_left, even, targets, checks, today),
        actions=_actions(burn, months_left, even, [t for t in targets if t.month < month_of(today)], checks),
        cash_on_hand=cash,
        burn=burn,
        runway_months=months_left,
        burn_missing=None
        if burn.monthly is not None
        else "no revenue or expense rows in the last three full months",
        trend=tuple(FlowRow(f.month, f.revenue, f.outflow, f.net) for f in trend),
        break_even=even,
        break_even_missing=_break_even_missing(even),
        economics=_economics(kb, even),
        targets=tuple(TargetRow(t.month, t.target, t.actual, t.gap) for t in targets),
        targets_missing=None if targets else "no revenue targets in portfolio.toml up to this month",
        partial_month=month_of(today) if any(t.month == month_of(today) for t in targets) else None,
        rules=tuple(RuleRow(c.rule.title, c.kept, len(c.violations)) for c in checks),
        violations=tuple(_violation_row(v) for v in violations),
        rules_missing=None if checks else "no financial rules in portfolio.toml",
        capital=capital,
        capital_items=tuple(
            CapitalRow(i.due, i.title, _name(kb, i.entity), i.status, i.amount) for i in capital.items
        ),
        capital_by_entity=tuple(Bar(_name(kb, entity_id), amount) for entity_id, amount in capital.by_entity),
        capital_missing=None if capital.items else "no capital plan in portfolio.toml",
    )


def metrics(brief: CfoBrief) -> dict[str, Metric]:
    """Return the CFO figures followed from one report to the next."""
    return {
        "burn": Metric("Burn", brief.burn.monthly, "money"),
        "runway_months": Metric("Runway", brief.runway_months, "months"),
        "break_even": Metric("Break-even charters", brief.break_even.charters, "count"),
    }


def _name(kb: KnowledgeBase, entity_id: str) -> str:
    found = kb.entity(entity_id)
    return found.name if found else entity_id


def _headline(burn, months_left, even) -> str:
    if burn.monthly is None:
        return "burn unknown: no ledger rows for the last three months"
    parts = [f"burn {money(burn.monthly)}/mo"]
    parts.append(f"{months_left} months of runway" if months_left is not None else "cash-positive")
    if even.charters_needed:
        parts.append(f"break-even at {even.charters_needed} charters/mo")
    return ", ".join(parts)


def _key_figures(cash, burn, months_left, even, targets, checks, today) -> tuple[Tile, ...]:
    broken = [c for c in checks if not c.kept]
    last = next((t for t in reversed(targets) if t.month < month_of(today)), None)
    return (
        Tile("Burn", (rows.money(burn.monthly), "/mo"), "net operating outflow, last 3 full months"),
        Tile("Runway", Figure(months_left, "months"), ("on ", rows.money(cash), " cash")),
        Tile(
            "Break-even",
            (even.charters_needed, " charters/mo") if even.charters_needed else "n/a",
            (even.charters, " exact, rounded up") if even.charters else "no unit economics",
        ),
        _target_tile(last),
        Tile(
            "Rules broken",
            (len(broken), " of ", len(checks)),
            (sum(len(c.violations) for c in checks), " breaches"),
        ),
    )


def _target_tile(last: finance.TargetMonth | None) -> Tile:
    """The last full month's revenue against its target (this month's is not complete)."""
    if last is None:
        return Tile("Revenue vs target", "n/a", "no full month")
    actual = (Figure(last.month, "month"), ": ", rows.money(last.actual), " of ", rows.money(last.target))
    return Tile("Revenue vs target", Figure(last.gap, "signed_money"), actual)


def _actions(burn, months_left, even, targets, checks) -> tuple[str, ...]:
    items = []
    if months_left is not None:
        items.append(
            f"Cash lasts {months_left} months at {money(burn.monthly)}/mo: "
            "cut fixed costs or raise revenue before it runs down."
        )
    if even.charters_needed:
        items.append(
            f"Book {even.charters_needed} charters a month "
            f"to cover {money(even.fixed_monthly)} of fixed costs."
        )
    short = [t for t in targets if t.gap < 0]  # full months only: the caller leaves out this month
    if short:
        items.append(
            f"Revenue missed target in {len(short)} of {len(targets)} full months; worst {_worst(short)}."
        )
    for check in checks:
        if not check.kept:
            worst = max(check.violations, key=lambda v: v.amount)
            items.append(f"Rule broken {len(check.violations)}x: {check.rule.title} (see {worst.source}).")
    return tuple(items[:5])


def _worst(short) -> str:
    worst = min(short, key=lambda t: t.gap)
    return f"{label(worst.month)} at {signed_money(worst.gap)}"


def _break_even_missing(even) -> str | None:
    if even.contribution is None:
        return "no charter entity has unit economics in its entities/*.md file"
    if even.charters is None:
        return "the charter entities' average price does not exceed their variable cost"
    return None


def _economics(kb: KnowledgeBase, even) -> tuple[EconomicsRow, ...]:
    by_source = {e.unit_economics.source: e for e in kb.entities if e.unit_economics}
    return tuple(
        EconomicsRow(_name(kb, by_source[u.source].id), u.average_price, u.variable_cost, u.contribution)
        for u in even.economics
    )


def _violation_row(v: rules.Violation) -> ViolationRow:
    monthly = v.rule.kind is not RuleKind.MAX_SINGLE_EXPENSE and v.when.day == 1
    when = Figure(v.when, "long_month" if monthly else "date")
    return ViolationRow(v.rule.title, when, v.amount, v.detail, v.source)
