"""Burn, runway, break-even, revenue vs targets and capital on the finance fixture.

Every expected figure is worked out by hand in tests/reports/fixtures/finance/README.md, line by line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from reports import kb
from reports.analysis import finance, targets
from reports.vocabulary import CapitalStatus

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


@pytest.fixture(scope="module")
def base():
    loaded = kb.load(str(FIXTURE))
    assert loaded.problems == ()
    return loaded.base


def test_burn_averages_the_net_operating_outflow_of_the_last_three_full_months(base):
    # GIVEN Aug +600, Sep -1,200, Oct -450 on revenue and expense accounts
    # WHEN the burn is computed
    burn = finance.burn_rate(base.ledger, base.accounts, today=TODAY)
    # THEN owner money (line 12) and deposits held or refunded (13, 17, 20) are left out: 1,050 / 3
    assert [flow.month for flow in burn.months] == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    assert [flow.net for flow in burn.months] == [D(600), D(-1200), D(-450)]
    assert burn.monthly == D("350.00")
    assert {source.line for source in burn.sources} == {8, 9, 10, 11, 14, 15, 16, 18, 19, 21}


def test_runway_is_cash_over_burn_and_none_when_nothing_burns(base):
    burn = finance.burn_rate(base.ledger, base.accounts, today=TODAY)
    assert finance.runway(D(1000), burn) == D("2.9")  # 1,000 / 350 = 2.86
    # GIVEN only August, which earned more than it spent (+600): nothing burns, so no runway limit
    august = finance.burn_rate(base.ledger, base.accounts, today=date(2026, 9, 15), months=1)
    assert august.monthly == D("-600.00")
    assert finance.runway(D(1000), august) is None


def test_no_ledger_rows_means_no_burn_rather_than_zero(base):
    burn = finance.burn_rate((), base.accounts, today=TODAY)
    assert burn.monthly is None and burn.sources == ()
    assert finance.runway(D(1000), burn) is None


def test_break_even_divides_fixed_costs_by_the_charter_contribution_and_rounds_up(base):
    even = finance.break_even(base.ledger, base.accounts, base.entities, today=TODAY)
    # Fixed 3,300 / 3 = 1,100; contribution (300 + 400) / 2 = 350; 1,100 / 350 = 3.14 -> 3.1, plan for 4
    assert (even.fixed_monthly, even.contribution, even.charters, even.charters_needed) == (
        D("1100.00"), D(350), D("3.1"), 4,
    )  # fmt: skip
    assert [unit.unit for unit in even.economics] == ["charter", "charter"]  # the services entity is left out


def test_break_even_without_charter_economics_says_so(base):
    haul = [entity for entity in base.entities if entity.id == "haul"]
    even = finance.break_even(base.ledger, base.accounts, haul, today=TODAY)
    assert (even.contribution, even.charters, even.charters_needed) == (None, None, None)


def test_revenue_is_compared_with_each_targeted_month_up_to_today(base):
    months = targets.revenue_vs_targets(base.portfolio, base.ledger, base.accounts, today=TODAY)
    # Aug 2,000 vs 1,500; Oct 600 vs 1,000; Nov has no row up to as_of: "not entered", no actual and no
    # gap (never a -800 miss); December is still to come
    assert [(m.month.month, m.target, m.actual, m.gap, m.standing) for m in months] == [
        (8, D(1500), D(2000), D(500), targets.FULL),
        (10, D(1000), D(600), D(-400), targets.FULL),
        (11, D(800), None, None, targets.NOT_ENTERED),
    ]
    assert [m.judged for m in months] == [True, True, False]
    assert all(m.source.file == "portfolio.toml" for m in months)


def test_capital_deployment_is_totalled_by_status_and_entity(base):
    capital = targets.capital_deployment(base.portfolio)
    assert [item.title for item in capital.items] == ["Email blast", "OTA photos", "Website"]
    assert capital.by_status == (("planned", D(500)), ("approved", D(500)))
    assert capital.by_entity == (("jada", D(700)), ("queen", D(300)))
    assert (capital.total, capital.to_deploy, capital.spent) == (D(1000), D(1000), D(0))


def test_money_already_spent_is_not_still_to_deploy(base):
    # GIVEN the fixture's plan (1,000) and the OTA photos (500, approved) marked spent
    items = tuple(
        replace(item, status=CapitalStatus.SPENT) if item.title == "OTA photos" else item
        for item in base.portfolio.capital_plan
    )
    capital = targets.capital_deployment(replace(base.portfolio, capital_plan=items))
    # THEN 1,000 - 500 = 500 is still to deploy (Email blast 300 + Website 200), by entity too
    assert (capital.total, capital.to_deploy, capital.spent) == (D(1000), D(500), D(500))
    assert capital.by_entity == (("queen", D(300)), ("jada", D(200)))
    assert capital.by_status == (("planned", D(500)), ("spent", D(500)))
