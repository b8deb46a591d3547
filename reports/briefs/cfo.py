"""CFO brief: burn, runway, break-even, revenue against targets, the rules, capital deployment;
with the live AWS source, the AWS line is the real bill (Cost Explorer), else the ledger's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..account.model import Account
from ..analysis import finance, infrastructure, periods, rules, targets
from ..analysis.months import month_of
from ..analysis.provenance import Provenance, lines, over
from ..formatting import Figure, long_month, money, show, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from . import audit, cash, rows
from . import cfo_tables as tables
from .rows import Bar, Tile

TREND_MONTHS = 6  # the burn-vs-revenue chart shows half a year; the burn itself averages three months


@dataclass(frozen=True)
class CfoBrief:
    """Everything the CFO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[Tile, ...]
    actions: tuple[str, ...]
    provenance: dict[str, Provenance]  # each headline figure: its rows, window and cut-off
    cash_on_hand: Decimal
    burn: finance.BurnRate
    burn_covers: str  # "Aug-Oct", "Nov-Dec; Jan not entered"
    runway_months: Decimal | None
    burn_missing: str | None
    trend: tuple[tables.FlowRow, ...]  # the table; the chart shows the entered months
    trend_gaps: str | None  # the trend's months without rows, said once under the table
    break_even: finance.BreakEven
    break_even_missing: str | None
    economics: tuple[tables.EconomicsRow, ...]
    targets: tuple[tables.TargetRow, ...]  # the table; the chart shows the months with rows
    targets_missing: str | None
    partial_month: date | None  # today's month, whose actuals are month to date
    rules: tuple[tables.RuleRow, ...]
    violations: tuple[tables.ViolationRow, ...]
    rules_months: tuple[date, ...]  # the twelve full months the rules look back over
    rules_missing: str | None
    capital: targets.CapitalDeployment
    capital_items: tuple[tables.CapitalRow, ...]
    capital_by_entity: tuple[Bar, ...]  # still to deploy
    capital_missing: str | None
    aws: audit.AwsLine | None = None  # None: the live AWS source was not consulted


def build(
    kb: KnowledgeBase, *, today: date, entity: Entity | None = None, account: Account | None = None
) -> CfoBrief:
    """Return the CFO's brief as of `today` (the knowledge base is already cut off at it);
    `account` is the live AWS source (None: not read, and the report says nothing of AWS)."""
    cash_on_hand = kb.portfolio.cash_on_hand
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    months_left = finance.runway(cash_on_hand, burn)
    even = finance.break_even(kb.ledger, kb.accounts, kb.entities, today=today)
    goals = targets.revenue_vs_targets(kb.portfolio, kb.ledger, kb.accounts, today=today)
    checks = rules.check_rules(kb.portfolio, kb.ledger, kb.accounts, today=today)
    capital = targets.capital_deployment(kb.portfolio)
    trend = periods.last_full(kb.ledger, today, TREND_MONTHS)
    violations = tuple(v for check in checks for v in check.violations)
    return CfoBrief(
        headline=_headline(burn, months_left, even),
        key_figures=_key_figures(cash_on_hand, burn, months_left, even, goals, checks, today),
        actions=_actions(burn, months_left, even, [g for g in goals if g.judged], checks),
        provenance=_provenance(burn, even, goals, today),
        cash_on_hand=cash_on_hand,
        burn=burn,
        burn_covers=cash.covers(burn),
        runway_months=months_left,
        burn_missing=cash.burn_missing(burn),
        trend=tables.trend_rows(kb, trend),
        trend_gaps=periods.gaps(trend),
        break_even=even,
        break_even_missing=_break_even_missing(even),
        economics=tables.economics_rows(kb, even),
        targets=tuple(tables.target_row(g) for g in goals),
        targets_missing=None if goals else "no revenue targets in portfolio.toml up to this month",
        partial_month=month_of(today) if any(g.standing == targets.TO_DATE for g in goals) else None,
        rules=tuple(tables.RuleRow(c.rule.title, c.kept, len(c.violations)) for c in checks),
        violations=tuple(tables.violation_row(v) for v in violations),
        rules_months=tuple(rules.lookback(today)),
        rules_missing=None if checks else "no financial rules in portfolio.toml",
        capital=capital,
        capital_items=tuple(
            tables.CapitalRow(i.due, i.title, _name(kb, i.entity), i.status, i.amount) for i in capital.items
        ),
        capital_by_entity=tuple(Bar(_name(kb, entity_id), amount) for entity_id, amount in capital.by_entity),
        capital_missing=None if capital.items else "no capital plan in portfolio.toml",
        aws=audit.aws_line(
            account, infrastructure.infrastructure_cost(kb.assets, kb.ledger, kb.accounts, today=today)
        ),
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
    parts = [cash.burn_phrase(burn)]
    parts.append(f"{months_left} months of runway" if months_left is not None else "cash-positive")
    if even.charters_needed:
        parts.append(f"break-even at {even.charters_needed} charters/mo")
    return ", ".join(parts)


def _key_figures(cash_on_hand, burn, months_left, even, goals, checks, today) -> tuple[Tile, ...]:
    broken = [c for c in checks if not c.kept]
    last = next((g for g in reversed(goals) if g.month < month_of(today)), None)
    covers = cash.covers(burn)
    return (
        Tile("Burn", (rows.money(burn.monthly), "/mo"), f"net operating outflow, {covers}"),
        Tile("Runway", Figure(months_left, "months"), ("on ", rows.money(cash_on_hand), " cash")),
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


def _target_tile(last: targets.TargetMonth | None) -> Tile:
    """The last full month's revenue against its target (this month's is not complete)."""
    if last is None:
        return Tile("Revenue vs target", "n/a", "no full month")
    if not last.judged:
        return Tile("Revenue vs target", "n/a", (Figure(last.month, "month"), ": ", last.standing))
    actual = (Figure(last.month, "month"), ": ", rows.money(last.actual), " of ", rows.money(last.target))
    return Tile("Revenue vs target", Figure(last.gap, "signed_money"), actual)


def _actions(burn, months_left, even, judged, checks) -> tuple[str, ...]:
    """What to do, most pressing first; `judged` are the full targeted months with ledger rows."""
    items = []
    if months_left is not None:
        caveat = f" (provisional: {cash.covers(burn)})" if burn.provisional else ""
        items.append(
            f"Cash lasts {months_left} months at {money(burn.monthly)}/mo{caveat}: "
            "cut fixed costs or raise revenue before it runs down."
        )
    if even.charters_needed:
        items.append(
            f"Book {even.charters_needed} charters a month "
            f"to cover {money(even.fixed_monthly)} of fixed costs."
        )
    short = [g for g in judged if g.gap < 0]
    if short:
        items.append(
            f"Revenue missed target in {len(short)} of {len(judged)} full months; worst {_worst(short)}."
        )
    for check in checks:
        if not check.kept:
            worst = max(check.violations, key=lambda v: v.amount)
            when = tables.violation_row(worst).when
            items.append(
                f"Rule broken {len(check.violations)}x: {check.rule.title}"
                f" (worst {show(when)}, see {worst.source})."
            )
    return tuple(items[:5])


def _worst(short) -> str:
    worst = min(short, key=lambda g: g.gap)
    return f"{long_month(worst.month)} at {signed_money(worst.gap)}"


def _provenance(burn, even, goals, today) -> dict[str, Provenance]:
    """Where each headline figure comes from: rows, window and the as_of cut-off."""
    found = {**cash.provenance(burn, today)}
    economics = tuple(unit.source for unit in even.economics)
    if even.window is not None:
        found["break_even"] = over(
            even.sources + economics, even.window, today, fallback="entities/*.md (unit economics)"
        )
    last = next((g for g in reversed(goals) if g.month < month_of(today)), None)
    if last is not None:
        source = f"{lines([last.source])}; ledger.csv (revenue accounts, {last.month:%b %Y})"
        missing = (last.month,) if last.standing == targets.NOT_ENTERED else ()
        found["revenue_vs_target"] = Provenance(source, f"{last.month:%b %Y}", today, bool(missing), missing)
    return found


def _break_even_missing(even) -> str | None:
    if even.fixed_monthly is None:
        return "no ledger rows in the last three full months to average the fixed costs over"
    if even.contribution is None:
        return "no charter entity has unit economics in its entities/*.md file"
    if even.charters is None:
        return "the charter entities' average price does not exceed their variable cost"
    return None
