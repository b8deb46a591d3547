"""Revenue recognition on the finance fixture: deposits held until the charter (see its README)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import recognition

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


def test_deposits_for_charters_not_yet_sailed_are_held_and_late_ones_flagged():
    base = kb.load(str(FIXTURE)).base
    result = recognition.revenue_recognition(base.ledger, base.accounts, today=TODAY)
    # GIVEN 250 for a charter on 2026-10-10 (service_date column) and 400 for 2026-12-05 (from the memo)
    assert [(d.charter, d.amount, d.service_date) for d in result.held] == [
        ("Birthday sail", D(250), date(2026, 10, 10)),
        ("2026-12-05 Sunset sail", D(400), date(2026, 12, 5)),
    ]
    assert result.deferred_balance == D(650)
    # THEN the October charter's deposit should have been recognised already; the December one is right
    assert [d.charter for d in result.overdue] == ["Birthday sail"]
    assert [d.charter for d in result.future] == ["2026-12-05 Sunset sail"]


def test_a_deposit_booked_to_revenue_is_flagged_and_still_counted_as_revenue():
    base = kb.load(str(FIXTURE)).base
    result = recognition.revenue_recognition(base.ledger, base.accounts, today=TODAY)
    assert [(m.amount, m.source.line) for m in result.misbooked] == [(D(600), 21)]
    assert result.recognised_this_year == D(2600)  # 2,000 (Aug) + 600 (line 21)
    october = result.by_month[9]
    assert (october.received, october.recognised_deposits, october.revenue) == (D(400), D(0), D(600))


def test_recognising_on_the_charter_date_clears_the_deposit():
    base = kb.load(str(FIXTURE)).base
    deposit = next(row for row in base.ledger if row.source.line == 20)
    recognised = replace(
        deposit, date=date(2026, 12, 5), amount=D(-400), memo="Recognise deposit: 2026-12-05 Sunset sail"
    )
    result = recognition.revenue_recognition(
        (*base.ledger, recognised), base.accounts, today=date(2026, 12, 6)
    )
    assert [d.charter for d in result.held] == ["Birthday sail"]


def test_revenue_with_a_later_service_date_was_earned_early():
    base = kb.load(str(FIXTURE)).base
    row = next(row for row in base.ledger if row.source.line == 8)
    early = replace(row, memo="Balance: New Year sail", service_date=date(2027, 1, 1))
    result = recognition.revenue_recognition((early,), base.accounts, today=TODAY)
    assert [m.memo for m in result.misbooked] == ["Balance: New Year sail"]
