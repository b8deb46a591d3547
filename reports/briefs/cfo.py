"""CFO brief: burn, runway, break-even, revenue against targets, the rules, capital deployment."""

from __future__ import annotations

from datetime import date

from ..analysis import finance, rules
from ..analysis.months import label
from ..formatting import money, signed_money
from ..history import Metric
from ..model import Entity, KnowledgeBase
from .layout import Bars, Brief, Missing, Note, PairedBars, Section, Table, Tile

LEDGER, PORTFOLIO, ENTITIES = "ledger.csv", "portfolio.toml", "entities/*.md (unit economics)"


def build(kb: KnowledgeBase, *, today: date, entity: Entity | None = None) -> Brief:
    """Return the CFO's brief as of `today`."""
    burn = finance.burn_rate(kb.ledger, kb.accounts, today=today)
    months_left = finance.runway(kb.portfolio.cash_on_hand, burn)
    even = finance.break_even(kb.ledger, kb.accounts, kb.entities, today=today)
    targets = finance.revenue_vs_targets(kb.portfolio, kb.ledger, kb.accounts, today=today)
    checks = rules.check_rules(kb.portfolio, kb.ledger, kb.accounts, today=today)
    broken = [check for check in checks if not check.kept]
    return Brief(
        headline=_headline(burn, months_left),
        tiles=(
            Tile("Burn", f"{money(burn.monthly)}/mo", "average net outflow, last 3 full months"),
            Tile(
                "Runway",
                f"{months_left} months" if months_left else "n/a",
                f"on {money(kb.portfolio.cash_on_hand)} cash",
            ),
            Tile(
                "Break-even",
                f"{even.charters} charters/mo" if even.charters else "n/a",
                f"plan for {even.charters_needed}",
            ),
        ),
        to_do=_to_do(burn, even, broken),
        sections=(
            _burn_section(burn),
            _break_even_section(even),
            _targets_section(targets),
            _rules_section(checks),
            _capital_section(kb),
        ),
        figures={"burn": burn.monthly, "runway_months": months_left, "break_even": even.charters},
    )


def metrics(brief: Brief) -> dict[str, Metric]:
    """Return the CFO figures followed from one report to the next."""
    return {
        "burn": Metric("Burn", brief.figures["burn"], "money"),
        "runway_months": Metric("Runway", brief.figures["runway_months"], "months"),
        "break_even": Metric("Break-even charters", brief.figures["break_even"], "count"),
    }


def _headline(burn, months_left) -> str:
    if burn.monthly is None:
        return "no ledger rows for the last three months"
    runway_text = f", {months_left} months of runway" if months_left else ""
    return f"burn {money(burn.monthly)}/mo{runway_text}"


def _to_do(burn, even, broken) -> tuple[str, ...]:
    items = []
    if even.charters_needed:
        items.append(
            f"Book {even.charters_needed} charters a month "
            f"to cover {money(even.fixed_monthly)} of fixed costs."
        )
    for check in broken:
        items.append(f"Rule broken {len(check.violations)}x: {check.rule.title}.")
    return tuple(items[:5])


def _burn_section(burn) -> Section:
    if burn.monthly is None:
        return Section("Burn", LEDGER, (Missing("no ledger rows in the last three full months"),))
    rows = tuple((label(f.month), f.outflow, f.inflow) for f in burn.months)
    table = Table(
        ("Month", "In", "Out", "Net"),
        tuple((label(f.month), money(f.inflow), money(f.outflow), signed_money(f.net)) for f in burn.months),
        right=(1, 2, 3),
    )
    return Section("Burn: money out vs money in", LEDGER, (PairedBars(rows, "Out", "In"), table))


def _break_even_section(even) -> Section:
    if even.charters is None:
        return Section("Break-even", ENTITIES, (Missing("no charter entity has unit economics"),))
    text = (
        f"Fixed costs average {money(even.fixed_monthly)} a month; each charter contributes "
        f"{money(even.contribution)} after its variable costs, so {even.charters} charters a month "
        f"break even ({even.charters_needed} to plan for)."
    )
    return Section("Break-even", ENTITIES, (Note(text),))


def _targets_section(targets) -> Section:
    if not targets:
        return Section("Revenue vs target", PORTFOLIO, (Missing("no revenue targets up to this month"),))
    chart = PairedBars(tuple((label(t.month), t.target, t.actual) for t in targets), "Target", "Actual")
    table = Table(
        ("Month", "Target", "Actual", "Gap"),
        tuple((label(t.month), money(t.target), money(t.actual), signed_money(t.gap)) for t in targets),
        right=(1, 2, 3),
    )
    return Section("Revenue vs target", PORTFOLIO, (chart, table))


def _rules_section(checks) -> Section:
    rows = []
    for check in checks:
        if check.kept:
            rows.append((check.rule.title, "kept", "", ""))
        for v in check.violations:
            rows.append(
                (check.rule.title, "BROKEN", v.detail, f"{money(v.amount, cents=True)} at {v.source}")
            )
    return Section(
        "Financial rules", PORTFOLIO, (Table(("Rule", "Status", "When / what", "Figure, row"), tuple(rows)),)
    )


def _capital_section(kb: KnowledgeBase) -> Section:
    plan = sorted(kb.portfolio.capital_plan, key=lambda item: item.due)
    if not plan:
        return Section("Capital deployment", PORTFOLIO, (Missing("no capital plan in portfolio.toml"),))
    table = Table(
        ("Due", "What", "Entity", "Status", "Amount"),
        tuple((str(i.due), i.title, i.entity, i.status.value, money(i.amount)) for i in plan),
        right=(4,),
    )
    by_status: dict[str, object] = {}
    for item in plan:
        by_status[item.status.value] = by_status.get(item.status.value, 0) + item.amount
    return Section("Capital deployment", PORTFOLIO, (table, Bars(tuple(by_status.items()))))
