"""The financial rules at their edges: a value exactly on a limit, a rule scoped to one entity,
rows on the window's first day and dated today, cash today below the floor, and the order
breaches are listed in. Every figure is worked out by hand beside its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hand_ledger import ACCOUNTS, DEPOSITS, DOCKAGE, FUEL, LOAN, REVENUE, numbered, portfolio, row, rule

from reports.analysis import rules
from reports.model import Source
from reports.vocabulary import RuleKind

TODAY = date(2026, 11, 15)  # the rules look back over November 2025 - October 2026
FLOOR_SOURCE = Source("portfolio.toml", 9)


def breaches(found_rule, ledger, *, cash: str = "50000") -> list[tuple]:
    """Return (when, amount, detail, source line) of each breach of `found_rule`."""
    (check,) = rules.check_rules(portfolio(TODAY, cash, found_rule), ledger, ACCOUNTS, today=TODAY)
    assert check.rule == found_rule and all(v.rule == found_rule for v in check.violations)
    assert check.kept == (not check.violations)
    return [(v.when, v.amount, v.detail, v.source.line) for v in check.violations]


def test_a_single_outflow_exactly_at_the_cap_keeps_the_rule_and_a_cent_over_breaks_it():
    # GIVEN a 900 cap: a 900.00 slip payment (line 2, at the cap) and a 900.01 fuel bill (line 3)
    ledger = numbered(
        row("2026-09-03", DOCKAGE, "-900.00", memo="Slip"),
        row("2026-09-04", FUEL, "-900.01"),
    )
    # THEN only the fuel bill breaks it, by its own amount; its memo is blank, so "outflow"
    assert breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "900"), ledger) == [
        (date(2026, 9, 4), D("900.01"), "outflow (jada)", 3),
    ]


def test_a_single_outflow_names_its_memo_and_entity():
    ledger = numbered(row("2026-09-03", DOCKAGE, "-1000", memo="Slip for JADA"))
    assert breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "900"), ledger) == [
        (date(2026, 9, 3), D(1000), "Slip for JADA (jada)", 2),
    ]


def test_a_months_net_outflow_exactly_at_the_limit_keeps_the_rule_and_a_cent_over_breaks_it():
    # GIVEN a 1,000 limit on money out net of money in:
    # September: 1,200 + 300 out, 500 in -> 1,000.00 net (at the limit: kept)
    # October:   1,000.01 out                -> 1,000.01 (a cent over: broken, its one row cited)
    ledger = numbered(
        row("2026-09-02", DOCKAGE, "-1200"),
        row("2026-09-03", FUEL, "-300"),
        row("2026-09-04", REVENUE, "500"),
        row("2026-10-02", DOCKAGE, "-1000.01"),
    )
    assert breaches(rule(RuleKind.MAX_MONTHLY_OUTFLOW, "1000"), ledger) == [
        (date(2026, 10, 1), D("1000.01"), "October 2026: $1,000.01 out", 5),
    ]


def test_an_accounts_monthly_outflows_at_the_cap_keep_the_rule_and_money_in_does_not_offset_them():
    # GIVEN a 150 cap on dockage (6000):
    # August: 100 + 50 out = 150 (at the cap: kept)
    # September: 160 out, and refunds of 40 and 0.50 in on the same account; the cap reads
    #   outflows only, so 160 (not 119.50): broken, citing the 160 row (line 4). The 500 of fuel
    #   is another account.
    ledger = numbered(
        row("2026-08-02", DOCKAGE, "-100"),
        row("2026-08-20", DOCKAGE, "-50"),
        row("2026-09-02", DOCKAGE, "-160"),
        row("2026-09-03", DOCKAGE, "40"),
        row("2026-09-04", FUEL, "-500"),
        row("2026-09-05", DOCKAGE, "0.50"),
    )
    assert breaches(rule(RuleKind.MAX_ACCOUNT_MONTHLY, "150", account=DOCKAGE), ledger) == [
        (date(2026, 9, 1), D(160), "September 2026: $160.00 out", 4),
    ]


def test_a_month_breach_cites_its_largest_outflow_and_the_earlier_of_two_equal_ones():
    # GIVEN a 100 limit and September's rows written out of date order: 500 on the 20th (line 2),
    # 500 on the 5th (line 3), 200 on the 10th (line 4); 1,200 out in all
    ledger = numbered(
        row("2026-09-20", DOCKAGE, "-500"),
        row("2026-09-05", DOCKAGE, "-500"),
        row("2026-09-10", DOCKAGE, "-200"),
    )
    # THEN the breach points at a 500 row, the first in date order: line 3 (September 5)
    assert breaches(rule(RuleKind.MAX_MONTHLY_OUTFLOW, "100"), ledger) == [
        (date(2026, 9, 1), D(1200), "September 2026: $1,200.00 out", 3),
    ]


def test_month_breaches_are_listed_oldest_first_whatever_the_ledgers_order():
    # GIVEN a 100 limit broken in October (line 2: 300) and in August (line 3: 200)
    ledger = numbered(row("2026-10-05", DOCKAGE, "-300"), row("2026-08-05", DOCKAGE, "-200"))
    assert [when for when, *_ in breaches(rule(RuleKind.MAX_MONTHLY_OUTFLOW, "100"), ledger)] == [
        date(2026, 8, 1),
        date(2026, 10, 1),
    ]


def test_a_month_with_money_in_only_is_never_a_breach_even_under_a_negative_limit():
    # GIVEN a limit of -100 (money out must be at least 100 under money in) and a September with
    # 50 and 0.50 in and a row of 0: net outflow -50.50 is over -100, but no money went out, so
    # there is no outflow to cite
    ledger = numbered(
        row("2026-09-05", REVENUE, "50"),
        row("2026-09-06", FUEL, "0.50"),
        row("2026-09-07", DOCKAGE, "0"),
    )
    assert breaches(rule(RuleKind.MAX_MONTHLY_OUTFLOW, "-100"), ledger) == []


@pytest.mark.parametrize(
    "kind", [RuleKind.MAX_SINGLE_EXPENSE, RuleKind.MAX_MONTHLY_OUTFLOW, RuleKind.MAX_ACCOUNT_MONTHLY]
)
def test_a_rule_scoped_to_one_entity_reads_only_that_entitys_rows(kind):
    # GIVEN a 100 limit for vela only: jada spends 5,000 in August (line 2), vela 300 in
    # September (line 3) -> only vela's September breaks it, for 300
    ledger = numbered(
        row("2026-08-05", DOCKAGE, "-5000", entity="jada"),
        row("2026-09-05", DOCKAGE, "-300", entity="vela"),
    )
    found = breaches(rule(kind, "100", account=DOCKAGE, entity="vela"), ledger)
    assert [(when.month, amount, line) for when, amount, _, line in found] == [(9, D(300), 3)]


def test_the_lookback_starts_on_the_first_day_of_its_first_month():
    # GIVEN a 100 cap: 400 out on November 1, 2025 (the window's first day, line 2) and 700 out on
    # October 31, 2025 (the day before it, line 3)
    ledger = numbered(row("2025-11-01", DOCKAGE, "-400"), row("2025-10-31", DOCKAGE, "-700"))
    # THEN only the first is read
    assert [line for *_, line in breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "100"), ledger)] == [2]


def test_a_deposit_recognised_as_revenue_is_no_outflow_but_a_refund_of_it_is():
    # GIVEN 800 held for a charter recognised on its day (deposit account out 800, revenue in 800,
    # same day, entity, amount and ref: lines 2-3, no cash moves) and a 600 deposit refunded
    # (line 4: deposit account out, no revenue row takes it: money paid back)
    ledger = numbered(
        row("2026-09-12", DEPOSITS, "-800", ref="B-1"),
        row("2026-09-12", REVENUE, "800", ref="B-1"),
        row("2026-09-20", DEPOSITS, "-600", ref="B-2"),
        row("2026-09-21", LOAN, "-50"),
    )
    # THEN a 100 cap sees the refund (600, line 4) and the loan repayment (50 is under it)
    assert [
        (amount, line) for _, amount, _, line in breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "100"), ledger)
    ] == [(D(600), 4)]


def test_a_recognition_pair_needs_the_same_ref_day_and_amount():
    # GIVEN deposit-account outflows of 800 whose revenue row differs in ref (lines 2-3), in day
    # (lines 4-5) or in amount (lines 6-7): none is a recognition, so each is money out
    ledger = numbered(
        row("2026-09-12", DEPOSITS, "-800", ref="B-1"),
        row("2026-09-12", REVENUE, "800", ref="B-9"),
        row("2026-09-13", DEPOSITS, "-800", ref="B-2"),
        row("2026-09-14", REVENUE, "800", ref="B-2"),
        row("2026-09-15", DEPOSITS, "-800", ref="B-3"),
        row("2026-09-15", REVENUE, "700", ref="B-3"),
    )
    found = breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "100"), ledger)
    assert [line for *_, line in found] == [2, 4, 6]


def test_month_end_cash_counts_rows_from_the_next_months_first_day_through_today():
    # GIVEN 2,000 cash on hand today (November 15) and a floor of 1,300:
    #   line 2: +100 on September 10 (September is entered)
    #   line 3: -300 on October 1 (the first day after September's end)
    #   line 4: +1,000 today; line 5: +5,000 on November 20 (after today: not counted)
    # End of October  = 2,000 - (+1,000)         = 1,000 (under 1,300: a breach)
    # End of September = 2,000 - (-300 + 1,000) = 1,300 (exactly on the floor: kept)
    ledger = numbered(
        row("2026-09-10", REVENUE, "100"),
        row("2026-10-01", DOCKAGE, "-300"),
        row("2026-11-15", REVENUE, "1000"),
        row("2026-11-20", REVENUE, "5000"),
    )
    assert breaches(rule(RuleKind.MIN_CASH, "1300"), ledger, cash="2000") == [
        (date(2026, 10, 1), D(1000), "cash at the end of October 2026", 9),
    ]


@pytest.mark.parametrize(
    ("cash", "expected"),
    [
        # 500 under a 600 floor: October's end (500 - nothing since November 1 = 500) and today
        (
            "500",
            [
                (date(2026, 10, 1), D(500), "cash at the end of October 2026", 9),
                (TODAY, D(500), "cash on hand on 15 November 2026 (cash_on_hand)", 9),
            ],
        ),
        ("600", []),  # exactly on the floor, at October's end and today: kept
    ],
)
def test_cash_on_hand_today_below_the_floor_is_a_breach_dated_today(cash, expected):
    # GIVEN a 600 floor and October's one row (+50 on October 10, line 2)
    ledger = numbered(row("2026-10-10", REVENUE, "50"))
    assert breaches(rule(RuleKind.MIN_CASH, "600"), ledger, cash=cash) == expected


def test_the_floor_is_checked_today_even_before_the_ledger_has_a_row():
    # GIVEN no ledger at all and 10 cash under a 600 floor: no month is judged, today is
    assert breaches(rule(RuleKind.MIN_CASH, "600"), (), cash="10") == [
        (TODAY, D(10), "cash on hand on 15 November 2026 (cash_on_hand)", 9),
    ]


def test_only_a_revenue_row_takes_a_held_deposit_into_revenue_and_cents_count_too():
    # GIVEN a 0.25 cap on single outflows, and two deposit-account outflows:
    #   lines 2-3: 0.50 recognised as revenue (revenue row +0.50, same day, entity and ref): no cash
    #   lines 4-5: 800 out of deposits with a fuel refund of +800 the same day and ref: the fuel
    #   row is not revenue, so the 800 is money paid back
    ledger = numbered(
        row("2026-09-12", DEPOSITS, "-0.50", ref="B-1"),
        row("2026-09-12", REVENUE, "0.50", ref="B-1"),
        row("2026-09-14", DEPOSITS, "-800", ref="B-2"),
        row("2026-09-14", FUEL, "800", ref="B-2"),
    )
    found = breaches(rule(RuleKind.MAX_SINGLE_EXPENSE, "0.25"), ledger)
    assert [(amount, line) for _, amount, _, line in found] == [(D(800), 4)]
