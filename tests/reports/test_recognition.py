"""Revenue recognition: deposits matched by ref, held until the charter, refunds never revenue.

Golden figures on the deposits fixture (worked out by hand in its README.md), then the finance
fixture, a ledger written before the `ref` column existed, which keeps loading and reporting.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from reports import kb
from reports.analysis import recognition

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    loaded = kb.load(str(FIXTURES / "deposits"))
    assert loaded.problems == () and loaded.warnings == ()
    return loaded.base


@pytest.fixture(scope="module")
def result(base) -> recognition.Recognition:
    return recognition.revenue_recognition(base.ledger, base.accounts, today=TODAY)


def refund(result, ref):
    (found,) = [r for r in result.refunds if r.ref == ref]
    return found.day, found.amount, found.kind, found.of_revenue, found.source.line


def test_deposit_refunded_before_the_sail_is_a_cancellation_neither_held_nor_recognised(result):
    # GIVEN A-1: 400 deposited on 05-01 for 06-20, all 400 refunded on 05-10
    assert refund(result, "A-1") == (date(2026, 5, 10), D(400), "cancellation", False, 3)
    # THEN nothing is held for it, and May's "deposits recognised" is B-2's 500 only, not 500 + 400
    assert "A-1" not in [d.ref for d in result.held]
    may = result.by_month[4]
    assert (may.received, may.recognised_deposits, may.refunded) == (D(1150), D(500), D(600))


def test_deposit_recognised_on_the_day_then_a_goodwill_refund_after_it(result):
    # GIVEN B-2: 500 deposit recognised on the charter day 05-23 ("Deposit recognised: ..." memo),
    # 1,350 balance that day, then 200 back to the guest on 05-28 as a negative revenue row
    assert refund(result, "B-2") == (date(2026, 5, 28), D(200), "refund of recognised revenue", True, 8)
    # THEN the rows on the charter day are on time (not booked early), nothing is held, and May's
    # revenue is net of the refund: 500 + 1,350 - 200 = 1,650
    assert [m.source.line for m in result.misbooked] == [12]  # E-5 only: 06-12 for a 07-04 charter
    assert result.by_month[4].revenue == D(1650)


def test_a_partial_refund_leaves_the_rest_held_for_the_charter_ahead(result):
    # GIVEN C-3: 1,000 for a charter on 07-11, 300 refunded on 06-10
    assert refund(result, "C-3") == (date(2026, 6, 10), D(300), "partial refund", False, 10)
    # THEN 1,000 - 300 = 700 is held, its charter ahead
    assert [(d.ref, d.amount) for d in result.ahead] == [("C-3", D(700))]


def test_held_is_the_deposit_accounts_balance_split_into_ahead_and_passed(result):
    # 400 - 400 + 500 - 500 + 1,000 - 300 + 250 = 950; F-6 (06-20) is after the cut-off
    assert result.deferred_balance == D(950)
    assert [(d.ref, d.amount, d.service_date) for d in result.held] == [
        ("D-4", D(250), date(2026, 6, 6)),
        ("C-3", D(700), date(2026, 7, 11)),
    ]
    # D-4 sailed on 06-06 and is never counted as a charter ahead
    assert [d.ref for d in result.passed] == ["D-4"]
    assert [d.ref for d in result.ahead] == ["C-3"]


def test_received_is_recognised_plus_refunded_plus_held(result):
    # 4,100 received = 2,250 recognised + 900 refunded + 950 held (README)
    totals = result.totals
    assert (totals.received, totals.recognised, totals.refunded, totals.held) == (
        D(4100),
        D(2250),
        D(900),
        D(950),
    )
    assert result.recognised_this_year == D(2250)  # the refunds on 2100 never were revenue


def test_refunds_by_month_split_what_the_cfo_nets_from_revenue(base):
    months = recognition.refunds_by_month(base.ledger, base.accounts, today=TODAY)
    assert [(m.month, m.of_deposits, m.of_revenue) for m in months] == [
        (date(2026, 5, 1), D(400), D(200)),
        (date(2026, 6, 1), D(300), D(0)),
    ]


def test_a_charter_on_the_cut_off_day_is_ahead_not_passed(base):
    result = recognition.revenue_recognition(base.ledger, base.accounts, today=date(2026, 6, 6))
    assert [d.ref for d in result.ahead] == ["D-4", "C-3"]
    assert result.passed == ()


# A ledger written before refs: matched by memo text, with the same figures as before.
LEGACY = FIXTURES / "finance"
LEGACY_TODAY = date(2026, 11, 15)


def legacy():
    loaded = kb.load(str(LEGACY))
    assert loaded.problems == ()  # it warns about its deposit rows without a ref, nothing more
    assert [w.line for w in loaded.warnings] == [13, 20]
    return loaded.base


def test_an_old_ledger_holds_its_deposits_and_flags_the_late_one():
    base = legacy()
    result = recognition.revenue_recognition(base.ledger, base.accounts, today=LEGACY_TODAY)
    # GIVEN 250 for a charter on 2026-10-10 (service_date column) and 400 for 2026-12-05 (from the memo)
    assert [(d.charter, d.amount, d.service_date) for d in result.held] == [
        ("Birthday sail", D(250), date(2026, 10, 10)),
        ("2026-12-05 Sunset sail", D(400), date(2026, 12, 5)),
    ]
    assert result.deferred_balance == D(650)
    assert [d.charter for d in result.passed] == ["Birthday sail"]
    assert [d.charter for d in result.ahead] == ["2026-12-05 Sunset sail"]


def test_an_old_ledger_flags_a_deposit_booked_to_revenue():
    base = legacy()
    result = recognition.revenue_recognition(base.ledger, base.accounts, today=LEGACY_TODAY)
    assert [(m.amount, m.source.line) for m in result.misbooked] == [(D(600), 21)]
    assert result.recognised_this_year == D(2600)  # 2,000 (Aug) + 600 (line 21)
    october = result.by_month[9]
    assert (october.received, october.recognised_deposits, october.revenue) == (D(400), D(0), D(600))


def test_an_old_ledgers_recognition_pair_clears_its_deposit():
    base = legacy()
    deposit = next(row for row in base.ledger if row.source.line == 20)
    memo = "Recognise deposit: 2026-12-05 Sunset sail"
    pair = (
        replace(deposit, date=date(2026, 12, 5), amount=D(-400), memo=memo),
        replace(deposit, date=date(2026, 12, 5), account="4000", amount=D(400), memo=memo),
    )
    result = recognition.revenue_recognition((*base.ledger, *pair), base.accounts, today=date(2026, 12, 6))
    assert [d.charter for d in result.held] == ["Birthday sail"]
    assert result.by_month[11].recognised_deposits == D(400)
    assert result.misbooked[-1].source.line == 21  # the pair, on the charter day, is not early


def test_revenue_with_a_later_service_date_was_earned_early():
    base = legacy()
    row = next(row for row in base.ledger if row.source.line == 8)
    early = replace(row, memo="Balance: New Year sail", service_date=date(2027, 1, 1))
    result = recognition.revenue_recognition((early,), base.accounts, today=LEGACY_TODAY)
    assert [m.memo for m in result.misbooked] == ["Balance: New Year sail"]
