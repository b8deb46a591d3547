"""The analysis on a tiny hand-made portfolio: every expected figure is worked out in a comment."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from reports import kb
from reports.analysis import expenses, finance, priorities, recognition, rules, targets
from reports.briefs import cfo
from reports.model import (
    Account,
    Action,
    Asset,
    Entity,
    FinancialRule,
    Kpi,
    LedgerRow,
    Portfolio,
    Project,
    RevenueTarget,
    Shortfall,
    Source,
    UnitEconomics,
)
from reports.vocabulary import (
    AccountType,
    Area,
    AssetStatus,
    AssetType,
    CostBehavior,
    EntityKind,
    OwnerRole,
    ProjectStatus,
    RuleKind,
    Service,
    Severity,
)

SRC = Source("test", 1)
TODAY = date(2026, 11, 15)  # the last three full months are Aug, Sep, Oct 2026
D = Decimal


def account(code, kind, category, behavior=None):
    return Account(code, code, kind, category, behavior, SRC)


ACCOUNTS = (
    account("1000", AccountType.ASSET, "cash"),
    account("2100", AccountType.LIABILITY, "deferred-revenue"),
    account("3000", AccountType.EQUITY, "owner-equity"),
    account("4000", AccountType.REVENUE, "charters"),
    account("6000", AccountType.EXPENSE, "dockage", CostBehavior.FIXED),
    account("5100", AccountType.EXPENSE, "crew", CostBehavior.VARIABLE),
    account("6300", AccountType.EXPENSE, "software", CostBehavior.FIXED),
    account("6999", AccountType.EXPENSE, "uncategorized"),
)


def row(day, account_code, amount, memo="", entity="jada", line=1):
    return LedgerRow(
        date.fromisoformat(day), entity, account_code, D(amount), memo, Source("ledger.csv", line)
    )


# Burn counts rows on revenue and expense accounts only (operating flows):
# Aug: in 2,000 (charter) | out 1,000 dockage + 300 crew + 200 software = 1,500 -> net +500
# Sep: in 0               | out 1,000 dockage + 400 software (two 200 rows)  -> net -1,400
# Oct: in 600 (revenue)   | out 1,000 dockage + 50 uncategorised              -> net -450
# The owner's 5,000 in September is equity and the 400 deposit a liability (earned only when the
# charter sails): neither is operating income. Burn = -(500 - 1,400 - 450) / 3 = 1,350 / 3 = 450.
LEDGER = (
    row("2026-08-02", "4000", "2000", "Charter Aug 2", line=2),
    row("2026-08-03", "6000", "-1000", "Slip", line=3),
    row("2026-08-09", "5100", "-300", "Deckhand", line=4),
    row("2026-08-10", "6300", "-200", "Tools", line=5),
    row("2026-09-01", "3000", "5000", "Owner contribution", line=6),
    row("2026-09-03", "6000", "-1000", "Slip", line=7),
    row("2026-09-10", "6300", "-200", "Tools", line=8),
    row("2026-09-10", "6300", "-200", "Tools", line=9),  # the same row twice: a duplicate
    row("2026-10-03", "6000", "-1000", "Slip", line=10),
    row("2026-10-05", "6999", "-50", "Card charge", line=11),
    row("2026-10-20", "2100", "400", "Deposit: 2026-12-05 Sunset sail", line=12),
    row("2026-10-21", "4000", "600", "Deposit: 2026-12-20 Concert", line=13),  # booked straight to revenue
)


def charter_entity(price, variable):
    return Entity(
        "jada", "JADA", EntityKind.CHARTER, "o@example.com", (), (),
        UnitEconomics("charter", D(price), D(variable), SRC), (), (), (), (), "", SRC,
    )  # fmt: skip


def test_burn_is_the_average_net_operating_outflow_of_the_last_three_full_months():
    burn = finance.burn_rate(LEDGER, ACCOUNTS, today=TODAY)
    assert [flow.net for flow in burn.months] == [D(500), D(-1400), D(-450)]
    assert burn.monthly == D("450.00")
    # Runway on 1,000 cash: 1,000 / 450 = 2.22 -> 2.2 months
    assert finance.runway(D(1000), burn) == D("2.2")


def test_no_burn_means_no_runway_figure_rather_than_infinity():
    burn = finance.burn_rate(LEDGER[:2], ACCOUNTS, today=date(2026, 9, 15))  # Aug: +2,000 -1,000 only
    assert burn.monthly < 0
    assert finance.runway(D(1000), burn) is None
    assert finance.burn_rate((), ACCOUNTS, today=TODAY).monthly is None


def test_break_even_divides_fixed_costs_by_the_charter_contribution():
    # Fixed (dockage + software): Aug 1,200, Sep 1,400, Oct 1,000 -> 3,600 / 3 = 1,200 a month.
    # Contribution 500 - 200 = 300 -> 1,200 / 300 = 4.0 charters, plan for 4.
    even = finance.break_even(LEDGER, ACCOUNTS, [charter_entity(500, 200)], today=TODAY)
    assert (even.fixed_monthly, even.contribution, even.charters, even.charters_needed) == (
        D(1200), D(300), D("4.0"), 4,
    )  # fmt: skip
    # A contribution of 350 gives 3.43 -> 3.4, and 4 to plan for (rounded up).
    assert finance.break_even(LEDGER, ACCOUNTS, [charter_entity(550, 200)], today=TODAY).charters_needed == 4


def test_revenue_is_compared_with_each_targeted_month_up_to_today():
    portfolio = Portfolio(
        "P", "USD", TODAY, D(1000),
        (RevenueTarget(date(2026, 8, 1), D(1500), SRC), RevenueTarget(date(2026, 12, 1), D(9000), SRC)),
        (), (), SRC,
    )  # fmt: skip
    (august,) = targets.revenue_vs_targets(portfolio, LEDGER, ACCOUNTS, today=TODAY)  # December is future
    assert (august.target, august.actual, august.gap) == (D(1500), D(2000), D(500))


def test_rules_list_each_violation_with_the_row_that_shows_it():
    single = FinancialRule("cap", "No expense over 900", RuleKind.MAX_SINGLE_EXPENSE, D(900), None, None, SRC)
    software = FinancialRule(
        "sw", "Software under 300", RuleKind.MAX_ACCOUNT_MONTHLY, D(300), "6300", None, SRC
    )
    floor = FinancialRule("cash", "Keep 500", RuleKind.MIN_CASH, D(500), None, None, SRC)
    # Cash today 1,000. End of Oct: 1,000 - (rows after Oct 31: none) = 1,000. End of Sep: 1,000 - Oct
    # (-1,000 - 50 + 400 + 600 = -50) = 1,050. End of Aug: 1,050 - Sep (5,000 - 1,400) = -2,550 -> breach.
    portfolio = Portfolio("P", "USD", TODAY, D(1000), (), (single, software, floor), (), SRC)
    found = {check.rule.id: check for check in rules.check_rules(portfolio, LEDGER, ACCOUNTS, today=TODAY)}
    # The three 1,000 slip payments each exceed 900; software was 400 in September (> 300).
    assert [v.source.line for v in found["cap"].violations] == [3, 7, 10]
    assert [(v.when, v.amount) for v in found["sw"].violations] == [(date(2026, 9, 1), D(400))]
    assert (date(2026, 8, 1), D(-2550)) in [(v.when, v.amount) for v in found["cash"].violations]


def test_the_expense_audit_groups_by_category_and_finds_the_anomalies():
    subscription = Asset(
        "jada",
        AssetType.SUBSCRIPTION,
        Service.SAAS,
        "Canva",
        "canva",
        D("14.99"),
        AssetStatus.ACTIVE,
        None,
        SRC,
    )
    audit = expenses.expense_audit(LEDGER, ACCOUNTS, [subscription], today=TODAY)
    by_category = {line.category: line for line in audit.categories}
    assert by_category["dockage"].by_month == (D(1000), D(1000), D(1000))
    assert by_category["software"].by_month == (D(200), D(400), D(0))
    assert by_category["software"].change == D(-400)  # Oct 0 vs Sep 400
    assert audit.categories[0].category == "dockage"  # 3,000 in all: the largest
    assert [(a.kind, a.amount) for a in audit.anomalies] == [
        ("uncategorized", D(50)),
        ("duplicate", D(200)),
        ("unowned asset", D("14.99")),
    ]


def test_deposits_for_future_charters_are_held_and_misbooked_ones_flagged():
    held = recognition.revenue_recognition(LEDGER, ACCOUNTS, today=TODAY)
    assert [(d.charter, d.amount) for d in held.held] == [("2026-12-05 Sunset sail", D(400))]
    assert held.deferred_balance == D(400)
    assert [(m.amount, m.source.line) for m in held.misbooked] == [(D(600), 13)]
    # Revenue earned in 2026: the Aug charter 2,000 + the misbooked 600 = 2,600.
    assert held.recognised_this_year == D(2600)
    # Once recognised on the charter date (a -400 / +400 pair) nothing is held any more.
    recognised = (*LEDGER, row("2026-12-05", "2100", "-400", "Recognise deposit: 2026-12-05 Sunset sail"))
    assert recognition.revenue_recognition(recognised, ACCOUNTS, today=date(2026, 12, 6)).held == ()


def project(updated, shortfalls=(), kpis=(), actions=()):
    return Project(
        f"p{updated}", "jada", "P", ProjectStatus.ACTIVE, "o@example.com", date.fromisoformat(updated),
        tuple(shortfalls), tuple(kpis), tuple(actions), (), (), "", SRC,
    )  # fmt: skip


def test_shortfalls_rank_by_severity_then_area_then_age():
    def gap(title, severity, area):
        return Shortfall(title, severity, area, "", SRC)

    old = project(
        "2026-10-01",
        [gap("old ux", Severity.CRITICAL, Area.UX), gap("high cash", Severity.HIGH, Area.FINANCE)],
    )
    new = project(
        "2026-11-01",
        [gap("new sales", Severity.CRITICAL, Area.SALES), gap("new ux", Severity.CRITICAL, Area.UX)],
    )
    ranked = priorities.rank_shortfalls([new, old])
    # critical before high; among critical, sales before ux; among the two ux, the older handoff first.
    assert [r.shortfall.title for r in ranked] == ["new sales", "old ux", "new ux", "high cash"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_untracked_kpis_and_the_30_day_plan_with_overdue_first():
    kpis = [
        Kpi("Tracked", Area.SALES, "%", D(30), D(12), SRC),
        Kpi("Untracked", Area.SALES, "%", D(30), None, SRC),
    ]

    def act(title, due, priority):
        return Action(title, Area.SALES, OwnerRole.CEO, date.fromisoformat(due), priority, SRC)

    actions = [
        act("later", "2026-12-30", Severity.CRITICAL),  # beyond 30 days (Dec 15): left out
        act("soon high", "2026-11-20", Severity.HIGH),
        act("soon critical", "2026-12-01", Severity.CRITICAL),
        act("overdue low", "2026-11-01", Severity.LOW),
    ]
    handoff = project("2026-11-01", kpis=kpis, actions=actions)
    assert [k.name for k, _ in priorities.untracked_kpis([handoff])] == ["Untracked"]
    plan = priorities.action_plan([handoff], today=TODAY)
    assert [item.action.title for item in plan] == ["overdue low", "soon critical", "soon high"]


def test_changing_one_ledger_row_of_the_sample_moves_the_cfo_figures_accordingly(tmp_path):
    # GIVEN the sample portfolio, and a copy where one October expense grows by $3,000
    sample = Path(__file__).resolve().parents[2] / "examples" / "portfolio"
    before = cfo.build(kb.load(str(sample)).base, today=date(2026, 11, 15), entity=None)
    copy = tmp_path / "portfolio"
    shutil.copytree(sample, copy)
    ledger = copy / "ledger.csv"
    lines = ledger.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("2026-10-") and ",-" in line)
    fields = lines[index].split(",")
    fields[3] = str(Decimal(fields[3]) - 3000)
    lines[index] = ",".join(fields)
    ledger.write_text("".join(lines))
    # WHEN the CFO brief is built again
    after = cfo.build(kb.load(str(copy)).base, today=date(2026, 11, 15), entity=None)
    # THEN the burn rises by 3,000 / 3 = $1,000 a month, and the runway shortens with it:
    # 46,500 / 7,794.80 = 6.0 months before, 46,500 / 8,794.80 = 5.3 after
    assert after.burn.monthly - before.burn.monthly == Decimal(1000)
    assert (before.runway_months, after.runway_months) == (Decimal("6.0"), Decimal("5.3"))
