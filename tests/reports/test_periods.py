"""What a figure covers: the as_of cut-off, entered / not entered / no-data months, freshness at the
send, and provenance as `file:lines` — each on rows small enough to check by eye."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from reports.analysis import periods
from reports.analysis.months import span
from reports.analysis.provenance import lines
from reports.model import KnowledgeBase, LedgerRow, Portfolio, Source

AS_OF = date(2027, 2, 15)


def row(day: date, amount: str = "-10", line: int = 2) -> LedgerRow:
    return LedgerRow(day, "jada", "6000", D(amount), "", Source("ledger.csv", line))


def test_a_window_splits_its_months_into_entered_not_entered_and_no_data():
    # GIVEN rows in Oct, Nov and Dec 2026 (the ledger starts in October), none in January
    ledger = [row(date(2026, 10, 5)), row(date(2026, 11, 5)), row(date(2026, 12, 5))]
    # WHEN the window is the five full months before 15 Feb 2027: Sep 2026 - Jan 2027
    found = periods.last_full(ledger, AS_OF, 5)
    # THEN Sep is before the ledger starts (no data), Jan is not entered, the rest are covered
    assert found.before_start == (date(2026, 9, 1),)
    assert found.covered == (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
    assert found.missing == (date(2027, 1, 1),)
    assert found.provisional and not found.complete
    assert periods.describe(found) == "Oct 2026–Dec 2026; Jan 2027 not entered; no data before Oct 2026"  # noqa: RUF001


def test_a_three_month_window_is_described_as_the_issue_writes_it():
    ledger = [row(date(2026, 11, 5)), row(date(2026, 12, 5))]
    found = periods.last_full(ledger, AS_OF, 3)  # Nov, Dec, Jan
    assert periods.describe(found) == "Nov–Dec; Jan not entered"  # noqa: RUF001
    complete = periods.last_full([*ledger, row(date(2027, 1, 3))], AS_OF, 3)
    assert periods.describe(complete) == "Nov–Jan" and not complete.provisional  # noqa: RUF001


def test_a_gap_inside_a_window_shows_as_two_runs():
    assert span([date(2026, 8, 1), date(2026, 10, 1), date(2026, 11, 1)]) == "Aug, Oct–Nov"  # noqa: RUF001


def test_the_as_of_view_leaves_future_rows_out_and_counts_them():
    portfolio = Portfolio("P", "USD", AS_OF, D(0), (), (), (), Source("portfolio.toml", 1))
    base = KnowledgeBase(portfolio, (), (), (), (row(AS_OF), row(date(2027, 2, 16))), ())
    # THEN the row dated on as_of stays; the one a day later is future
    assert periods.as_of_view(base).ledger == (row(AS_OF),)
    assert periods.future_rows(base) == (row(date(2027, 2, 16)),)
    assert periods.as_of_view(replace(base, portfolio=None)).ledger == base.ledger


def test_figures_more_than_a_week_old_at_the_send_say_so():
    # 15 Nov to 1 Dec is 16 days: stale; 7 days is not yet
    assert periods.Freshness(date(2026, 11, 15), date(2026, 12, 1)).notice == (
        "Figures as of 15 Nov 2026 — 16 days old"
    )
    assert periods.Freshness(date(2026, 11, 15), date(2026, 11, 22)).notice is None


def test_provenance_lines_are_runs_per_file():
    sources = [Source("ledger.csv", n) for n in (8, 9, 10, 11, 14, 21)] + [Source("portfolio.toml", 5)]
    assert lines(sources) == "ledger.csv:8-11,14,21; portfolio.toml:5"


def test_the_gaps_of_a_window_name_only_the_months_without_rows():
    ledger = [row(date(2026, 10, 5)), row(date(2026, 12, 5))]
    found = periods.last_full(ledger, AS_OF, 5)  # Sep 2026 - Jan 2027
    assert periods.gaps(found) == (
        "Sep 2026 before the ledger starts (no data); Nov 2026, Jan 2027 not entered"
    )
    assert periods.gaps(periods.last_full(ledger, date(2026, 11, 15), 1)) is None  # October: entered
