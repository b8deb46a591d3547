"""Bookkeeping gaps, the chart of accounts and the profit roadmap on the finance fixture (see its README)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import bookkeeping, recognition

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


def gaps(ledger=None) -> bookkeeping.BookkeepingGaps:
    base = kb.load(str(FIXTURE)).base
    ledger = base.ledger if ledger is None else ledger
    held = recognition.revenue_recognition(ledger, base.accounts, today=TODAY)
    return bookkeeping.bookkeeping_gaps(ledger, base.accounts, base.projects, held, today=TODAY)


def test_gaps_found_in_the_ledger_point_at_their_rows():
    # GIVEN JADA's Tools charge every month May-Sep but not in October, an overdue deposit and one
    # deposit booked as revenue
    found = [(g.kind, g.source.line) for g in gaps().found]
    assert found == [
        ("missing charge", 16),
        ("deposit not recognised", 13),
        ("revenue before the charter", 21),
    ]


def test_a_row_without_a_memo_is_a_gap():
    base = kb.load(str(FIXTURE)).base
    ledger = tuple(replace(row, memo="") if row.source.line == 18 else row for row in base.ledger)
    assert ("no memo", 18) in [(g.kind, g.source.line) for g in gaps(ledger).found]


def test_stated_gaps_are_the_accounting_shortfalls_most_severe_first_and_untracked_books_kpis():
    result = gaps()
    assert [s.title for s in result.stated] == ["No bookkeeping system", "Receipts kept in a shoebox"]
    assert [k.name for k in result.untracked_kpis] == ["Gross margin"]


def test_chart_of_accounts_totals_the_year_and_finds_unused_accounts():
    base = kb.load(str(FIXTURE)).base
    lines = {
        line.account.code: line
        for line in bookkeeping.chart_of_accounts(base.ledger, base.accounts, today=TODAY)
    }
    assert (lines["6300"].year_to_date, lines["6300"].rows) == (D(-600), 6)  # six Tools rows of 100
    assert lines["2200"].year_to_date == D(-950)
    assert [code for code, line in lines.items() if not line.used] == ["1000"]


def test_profit_roadmap_lists_finance_and_accounting_milestones_soonest_first():
    base = kb.load(str(FIXTURE)).base
    steps = bookkeeping.profit_roadmap(base.projects, today=TODAY)
    assert [(s.milestone.title, s.days_left) for s in steps] == [
        ("October closed", -14),
        ("Break-even month", 77),
    ]
