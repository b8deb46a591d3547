"""CFO brief: burn, runway, break-even, revenue against targets, the rules, capital deployment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..analysis import finance, rules
from ..analysis.months import label, last_full_months, month_of
from ..formatting import money, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from ..vocabulary import RuleKind

TREND_MONTHS = 6  # the burn-vs-revenue chart shows half a year; the burn itself averages three months


@dataclass(frozen=True)
class CfoBrief:
    """Everything the CFO report shows, in reading order; None / () fields come with a reason."""

    headline: str
    key_figures: tuple[tuple[str, str, str], ...]  # (label, figure, note) tiles
    actions: tuple[str, ...]
    cash_on_hand: Decimal
    burn: finance.BurnRate
    runway_months: Decimal | None
    burn_missing: str | None
    burn_period: str  # "Aug 2026 - Oct 2026"
    trend_rows: tuple[tuple[str, str, str, str], ...]  # month, revenue, operating out, net
    trend_chart: tuple[tuple[str, Decimal, Decimal], ...]  # month, operating out, revenue
    break_even: finance.BreakEven
    break_even_missing: str | None
    economics_rows: tuple[tuple[str, str, str, str], ...]  # entity, price, variable cost, contribution
    target_rows: tuple[tuple[str, str, str, str], ...]  # month, target, actual, gap
    target_chart: tuple[tuple[str, Decimal, Decimal], ...]  # month, target, actual
    targets_missing: str | None
    partial_month: str | None  # today's month, whose actuals are month to date
    rule_rows: tuple[tuple[str, str, str], ...]  # rule, status, breaches
    violation_rows: tuple[tuple[str, str, str, str], ...]  # rule, when, figure, what (row)
    violations: tuple[rules.Violation, ...]
    rules_missing: str | None
    capital: finance.CapitalDeployment
    capital_rows: tuple[tuple[str, str, str, str, str], ...]  # due, what, entity, status, amount
    capital_by_entity: tuple[tuple[str, Decimal], ...]  # entity name, amount
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
    window = burn.months
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
        burn_period=f"{window[0].month:%b %Y} - {window[-1].month:%b %Y}",
        trend_rows=tuple(
            (label(f.month), money(f.revenue), money(f.outflow), signed_money(f.net)) for f in trend
        ),
        trend_chart=tuple((label(f.month), f.outflow, f.revenue) for f in trend),
        break_even=even,
        break_even_missing=_break_even_missing(even),
        economics_rows=_economics_rows(kb, even),
        target_rows=tuple(
            (label(t.month), money(t.target), money(t.actual), signed_money(t.gap)) for t in targets
        ),
        target_chart=tuple((label(t.month), t.target, t.actual) for t in targets),
        targets_missing=None if targets else "no revenue targets in portfolio.toml up to this month",
        partial_month=label(month_of(today)) if any(t.month == month_of(today) for t in targets) else None,
        rule_rows=tuple(
            (c.rule.title, "kept" if c.kept else "BROKEN", str(len(c.violations))) for c in checks
        ),
        violation_rows=tuple(_violation_row(v) for v in violations),
        violations=violations,
        rules_missing=None if checks else "no financial rules in portfolio.toml",
        capital=capital,
        capital_rows=tuple(
            (str(i.due), i.title, _name(kb, i.entity), i.status.value, money(i.amount)) for i in capital.items
        ),
        capital_by_entity=tuple((_name(kb, entity_id), amount) for entity_id, amount in capital.by_entity),
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


def _key_figures(cash, burn, months_left, even, targets, checks, today) -> tuple[tuple[str, str, str], ...]:
    broken = [c for c in checks if not c.kept]
    last = next((t for t in reversed(targets) if t.month < month_of(today)), None)
    return (
        ("Burn", f"{money(burn.monthly)}/mo", "net operating outflow, last 3 full months"),
        ("Runway", f"{months_left} months" if months_left is not None else "n/a", f"on {money(cash)} cash"),
        (
            "Break-even",
            f"{even.charters_needed} charters/mo" if even.charters_needed else "n/a",
            f"{even.charters} exact, rounded up" if even.charters else "no unit economics",
        ),
        (
            "Revenue vs target",
            signed_money(last.gap) if last else "n/a",
            f"{label(last.month)}: {money(last.actual)} of {money(last.target)}" if last else "no full month",
        ),
        (
            "Rules broken",
            f"{len(broken)} of {len(checks)}",
            f"{sum(len(c.violations) for c in checks)} breaches",
        ),
    )


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


def _economics_rows(kb: KnowledgeBase, even) -> tuple[tuple[str, str, str, str], ...]:
    by_source = {e.unit_economics.source: e for e in kb.entities if e.unit_economics}
    return tuple(
        (
            _name(kb, by_source[u.source].id),
            money(u.average_price),
            money(u.variable_cost),
            money(u.contribution),
        )
        for u in even.economics
    )


def _violation_row(v: rules.Violation) -> tuple[str, str, str, str]:
    monthly = v.rule.kind is not RuleKind.MAX_SINGLE_EXPENSE and v.when.day == 1
    when = f"{v.when:%b %Y}" if monthly else str(v.when)
    return (v.rule.title, when, money(v.amount, cents=True), f"{v.detail} [{v.source}]")
