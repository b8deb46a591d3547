"""The sample portfolio validates and its raw data still yields the business's headline figures.

The figures are worked out here with plain arithmetic on the model, independently of the
analysis code, so that editing the sample cannot silently drift from the known numbers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import mean

from reports.vocabulary import AccountType, ChannelKind, CostBehavior, EntityKind, OwnerRole, Severity

CONTRACT_IDS = {
    "jada",
    "queenofsandiego",
    "quickdumpnow",
    "dangerouscentaur",
    "expertyachtdelivery",
    "rental-3028-51st",
}


def last_full_months(as_of: date, count: int = 3) -> list[tuple[int, int]]:
    """Return the `count` calendar months before the one containing `as_of`, oldest first."""
    year, month = as_of.year, as_of.month
    months = []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append((year, month))
    return months[::-1]


def monthly_totals(base, include) -> dict[tuple[int, int], Decimal]:
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in base.ledger:
        if include(row, base.account(row.account)):
            totals[row.date.year, row.date.month] += row.amount
    return totals


def test_sample_validates_with_no_problems(sample):
    assert [str(problem) for problem in sample.problems] == []
    assert [str(warning) for warning in sample.warnings] == []  # every deposit has its ref; AWS is flagged


def test_sample_has_the_six_contract_entities_and_every_kind(sample):
    kinds = {entity.id: entity.kind for entity in sample.base.entities}

    assert set(kinds) == CONTRACT_IDS
    assert kinds["jada"] is kinds["queenofsandiego"] is EntityKind.CHARTER
    assert kinds["rental-3028-51st"] is EntityKind.RENTAL
    assert kinds["expertyachtdelivery"] is EntityKind.DELIVERY
    assert kinds["dangerouscentaur"] is EntityKind.AGENCY


def test_ledger_covers_twelve_full_months(sample):
    months = {(row.date.year, row.date.month) for row in sample.base.ledger}

    assert {(2025, 11), (2025, 12)} | {(2026, m) for m in range(1, 11)} <= months
    assert max(row.date for row in sample.base.ledger) <= sample.base.portfolio.as_of


def test_burn_is_seven_to_nine_thousand_a_month(sample):
    base = sample.base
    operating = {AccountType.REVENUE, AccountType.EXPENSE}  # docs/knowledge-base.md: "Burn"
    net = monthly_totals(base, lambda row, account: account.type in operating)

    burn = -mean(net[month] for month in last_full_months(base.portfolio.as_of))

    assert Decimal(7000) <= burn <= Decimal(9000), burn


def test_break_even_is_about_six_charters_a_month(sample):
    base = sample.base
    fixed = monthly_totals(base, lambda row, account: account.cost_behavior is CostBehavior.FIXED)
    fixed_per_month = -mean(fixed[month] for month in last_full_months(base.portfolio.as_of))
    charters = [e for e in base.entities if e.kind is EntityKind.CHARTER]
    contribution = mean(e.unit_economics.contribution for e in charters)

    break_even = fixed_per_month / contribution

    assert round(break_even) == 6, break_even


def test_aws_costs_fifty_to_eighty_four_dollars_a_month(sample):
    base = sample.base
    from_assets = sum(asset.monthly_cost for asset in base.assets if asset.is_aws)
    aws = monthly_totals(base, lambda row, account: account.vendor == "aws")  # the AWS bill, flagged
    from_ledger = -mean(aws[month] for month in last_full_months(base.portfolio.as_of))

    assert Decimal(50) <= from_assets <= Decimal(84), from_assets
    assert Decimal(50) <= from_ledger <= Decimal(84), from_ledger


def test_email_list_is_3676_people(sample):
    channels = [channel for entity in sample.base.entities for channel in entity.channels]

    assert sum(channel.list_size or 0 for channel in channels) == 3676


def test_ota_sequence_is_sailo_getmyboat_viator(sample):
    otas = [c for e in sample.base.entities for c in e.channels if c.kind is ChannelKind.OTA]
    first_position = {}
    for channel in sorted(otas, key=lambda c: c.sequence):
        first_position.setdefault(channel.name, channel.sequence)

    assert list(first_position) == ["Sailo", "GetMyBoat", "Viator"]


def test_handoffs_carry_the_counts_each_persona_expects(sample):
    projects = sample.base.projects
    shortfalls = [s for p in projects for s in p.shortfalls]
    actions = [a for p in projects for a in p.actions]

    assert sum(s.severity is Severity.CRITICAL for s in shortfalls) == 8  # CEO
    assert sum(not k.tracked for p in projects for k in p.kpis) == 9  # CEO
    assert sum(s.area == "security" for s in shortfalls) == 6  # CTO
    assert sum(a.owner_role is OwnerRole.CTO for a in actions) == 10  # CTO
    profit = [m for p in projects for m in p.milestones if m.area in ("finance", "accounting")]
    assert len(profit) == 4 and max(m.due for m in profit) == date(2027, 3, 31)  # accounting
    (concert,) = [o for p in projects for o in p.opportunities]
    assert (concert.low, concert.high) == (10000, 50000)  # CMO


def test_portfolio_carries_three_rules_and_2026_targets(sample):
    portfolio = sample.base.portfolio

    assert len(portfolio.rules) == 3
    assert [t.month for t in portfolio.revenue_targets] == [date(2026, m, 1) for m in range(1, 13)]


def test_sample_has_one_cancelled_charter_whose_deposit_went_back(sample):
    by_ref = defaultdict(list)  # the rows on 2100, Charter deposits held, by charter
    for row in sample.base.ledger:
        if row.account == "2100":
            by_ref[row.ref].append(row.amount)
    earned = {row.ref for row in sample.base.ledger if row.account == "4000"}
    cancelled = [ref for ref, amounts in by_ref.items() if min(amounts) < 0 and ref not in earned]
    assert cancelled == ["JADA-261128"]
    assert sum(by_ref["JADA-261128"]) == 0  # all 500 went back
    assert "" not in by_ref  # every deposit row carries its charter's ref


def test_sample_holds_the_deliberate_audit_findings(sample):
    base = sample.base
    seen = defaultdict(int)
    for row in base.ledger:
        seen[row.date, row.entity, row.account, row.amount, row.memo] += 1

    assert sum(count > 1 for count in seen.values()) == 1  # one duplicate charge
    assert sum(base.account(row.account).category == "uncategorized" for row in base.ledger) == 1
    assert [a.name for a in base.assets if a.type == "subscription" and a.owner is None] == ["Canva Pro"]
