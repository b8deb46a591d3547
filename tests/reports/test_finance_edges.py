"""Burn, runway and break-even at their edges: a figure of exactly zero, half-up rounding, the
window's first day and rows dated today. Every figure is worked out by hand beside its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hand_ledger import ACCOUNTS, DEPOSITS, DOCKAGE, FUEL, OWNER, REVENUE, charter_entity, numbered, row

from reports.analysis import finance

TODAY = date(2026, 11, 15)  # the burn's window: August, September and October 2026


def test_a_burn_of_exactly_zero_has_no_runway_rather_than_a_division_by_zero():
    # GIVEN three months that each earn 1,000 and spend 1,000: net 0 a month, burn 0 / 3 = 0.00
    ledger = numbered(
        *(row(f"2026-{month:02}-05", REVENUE, "1000") for month in (8, 9, 10)),
        *(row(f"2026-{month:02}-06", DOCKAGE, "-1000") for month in (8, 9, 10)),
    )
    burn = finance.burn_rate(ledger, ACCOUNTS, today=TODAY)
    assert burn.monthly == D("0.00")
    # THEN nothing burns, so the cash lasts for ever: no runway figure
    assert finance.runway(D(5000), burn) is None


def test_the_burn_rounds_half_a_cent_up():
    # GIVEN the ledger starts in September (August is before it: no data, not averaged in);
    # September nets -1.25 (1,000 in, 1,001.25 out), October -1.00 (1,000 in, 1,001.00 out)
    ledger = numbered(
        row("2026-09-05", REVENUE, "1000"),
        row("2026-09-06", DOCKAGE, "-1001.25"),
        row("2026-10-05", REVENUE, "1000"),
        row("2026-10-06", DOCKAGE, "-1001.00"),
    )
    burn = finance.burn_rate(ledger, ACCOUNTS, today=TODAY)
    # THEN the burn is (1.25 + 1.00) / 2 = 1.125, half up to 1.13 (half-even would say 1.12)
    assert [flow.month for flow in burn.months] == [date(2026, 9, 1), date(2026, 10, 1)]
    assert burn.monthly == D("1.13")


def test_runway_rounds_half_a_tenth_up():
    # GIVEN September and October each spend 2.00 and earn nothing: burn (2 + 2) / 2 = 2.00
    ledger = numbered(row("2026-09-06", DOCKAGE, "-2"), row("2026-10-06", DOCKAGE, "-2"))
    burn = finance.burn_rate(ledger, ACCOUNTS, today=TODAY)
    assert burn.monthly == D("2.00")
    # THEN 4.50 of cash lasts 4.50 / 2.00 = 2.25 months, half up to 2.3 (half-even would say 2.2)
    assert finance.runway(D("4.50"), burn) == D("2.3")


def test_monthly_flows_split_money_in_from_money_out_and_count_only_revenue_as_revenue():
    # GIVEN September: 1,000 revenue in, a 300 fuel refund in (money in, not revenue), 450 dockage
    # out, and transfers the flows leave out (5,000 owner money, a 700 deposit held)
    ledger = numbered(
        row("2026-09-02", REVENUE, "1000"),
        row("2026-09-03", FUEL, "300"),
        row("2026-09-04", DOCKAGE, "-450"),
        row("2026-09-05", OWNER, "5000"),
        row("2026-09-06", DEPOSITS, "700"),
    )
    (september,) = finance.monthly_flows(ledger, ACCOUNTS, [date(2026, 9, 1)])
    # THEN in = 1,000 + 300 = 1,300; out = 450; revenue = 1,000; net = 1,300 - 450 = 850
    assert (september.inflow, september.outflow, september.revenue, september.net) == (
        D(1300), D(450), D(1000), D(850),
    )  # fmt: skip


def test_the_burn_reads_the_first_day_of_its_window_and_not_the_day_before_it():
    # GIVEN dockage of 90 on August 1 (the window's first day) and of 5,000 on July 31 (before it)
    ledger = numbered(row("2026-07-31", DOCKAGE, "-5000"), row("2026-08-01", DOCKAGE, "-90"))
    burn = finance.burn_rate(ledger, ACCOUNTS, today=TODAY)
    # THEN only August is read and entered: the burn is 90 / 1 = 90.00, sourced from line 3 alone
    assert burn.monthly == D("90.00")
    assert [source.line for source in burn.sources] == [3]


def test_a_contribution_of_exactly_zero_has_no_break_even_rather_than_a_division_by_zero():
    # GIVEN fixed dockage of 300 a month and a charter that sells at 500 and costs 500 to run
    ledger = numbered(*(row(f"2026-{month:02}-06", DOCKAGE, "-300") for month in (8, 9, 10)))
    even = finance.break_even(ledger, ACCOUNTS, [charter_entity("jada", "500", "500")], today=TODAY)
    # THEN each charter leaves 500 - 500 = 0 towards the 300.00: no number of charters covers it
    assert (even.fixed_monthly, even.contribution) == (D("300.00"), D(0))
    assert (even.charters, even.charters_needed) == (None, None)
    assert [source.line for source in even.sources] == [2, 3, 4]
    assert [unit.contribution for unit in even.economics] == [D(0)]


def test_break_even_rounds_half_a_tenth_up_and_plans_for_the_next_whole_charter():
    # GIVEN fixed dockage of 225 in each of August-October (variable fuel is not fixed: left out),
    # and two charter businesses leaving 150 - 50 = 100 and 300 - 200 = 100 a charter
    ledger = numbered(
        *(row(f"2026-{month:02}-06", DOCKAGE, "-225") for month in (8, 9, 10)),
        row("2026-09-07", FUEL, "-999"),
    )
    entities = [charter_entity("jada", "150", "50"), charter_entity("vela", "300", "200")]
    even = finance.break_even(ledger, ACCOUNTS, entities, today=TODAY)
    # THEN fixed 675 / 3 = 225.00; contribution (100 + 100) / 2 = 100; 225 / 100 = 2.25 charters,
    # half up to 2.3 (half-even: 2.2), and 3 to plan for (2 would leave 25 uncovered)
    assert (even.fixed_monthly, even.contribution, even.charters, even.charters_needed) == (
        D("225.00"), D(100), D("2.3"), 3,
    )  # fmt: skip
    assert [source.line for source in even.sources] == [2, 3, 4]


def test_fixed_costs_round_half_a_cent_up():
    # GIVEN fixed dockage of 0.05 in two months: 0.05 / 2 = 0.025 a month, half up to 0.03
    ledger = numbered(row("2026-09-06", DOCKAGE, "-0.03"), row("2026-10-06", DOCKAGE, "-0.02"))
    months = [date(2026, 9, 1), date(2026, 10, 1)]
    assert finance.fixed_costs(ledger, ACCOUNTS, months) == D("0.03")


def test_break_even_without_a_charter_business_still_reports_the_fixed_costs_and_their_rows():
    # GIVEN fixed dockage of 120 in September and October only (August has no rows), and no
    # charter business: no contribution to divide by
    ledger = numbered(row("2026-09-06", DOCKAGE, "-120"), row("2026-10-06", DOCKAGE, "-120"))
    even = finance.break_even(ledger, ACCOUNTS, [], today=TODAY)
    # THEN fixed (120 + 120) / 2 = 120.00 over September-October, from lines 2 and 3
    assert (even.fixed_monthly, even.contribution, even.charters, even.charters_needed) == (
        D("120.00"), None, None, None,
    )  # fmt: skip
    assert even.window.covered == (date(2026, 9, 1), date(2026, 10, 1))
    assert [source.line for source in even.sources] == [2, 3]


def test_a_contribution_under_a_dollar_still_has_a_break_even():
    # GIVEN fixed dockage of 1.00 a month and a charter that sells at 100.50 and costs 100.00
    ledger = numbered(*(row(f"2026-{month:02}-06", DOCKAGE, "-1") for month in (8, 9, 10)))
    even = finance.break_even(ledger, ACCOUNTS, [charter_entity("jada", "100.50", "100.00")], today=TODAY)
    # THEN each charter leaves 0.50: 1.00 / 0.50 = 2.0 charters, 2 to plan for
    assert (even.fixed_monthly, even.contribution, even.charters, even.charters_needed) == (
        D("1.00"), D("0.50"), D("2.0"), 2,
    )  # fmt: skip


def test_a_burn_under_a_dollar_still_has_a_runway():
    # GIVEN September and October each spend 0.75 and earn nothing: burn 0.75 a month
    ledger = numbered(row("2026-09-06", DOCKAGE, "-0.75"), row("2026-10-06", DOCKAGE, "-0.75"))
    burn = finance.burn_rate(ledger, ACCOUNTS, today=TODAY)
    # THEN 3.00 of cash lasts 3.00 / 0.75 = 4.0 months
    assert (burn.monthly, finance.runway(D(3), burn)) == (D("0.75"), D("4.0"))


def test_a_month_without_rows_flows_zero_dollars():
    # GIVEN only a September row: August has no money in, out or revenue
    ledger = numbered(row("2026-09-05", REVENUE, "10"))
    august, september = finance.monthly_flows(ledger, ACCOUNTS, [date(2026, 8, 1), date(2026, 9, 1)])
    # THEN August's figures are Decimal zeros (the templates and the JSON format them as money)
    figures = (august.inflow, august.outflow, august.revenue, september.outflow)
    assert figures == (D(0),) * 4 and all(isinstance(figure, D) for figure in figures)
