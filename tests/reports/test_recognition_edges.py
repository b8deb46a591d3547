"""Revenue recognition at its edges: revenue booked on the charter day itself, several deposit rows
for one charter, deposits recognised per month, memos without a colon or a date, rows dated today
and the order held deposits are listed in. Every figure is worked out by hand beside its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hand_ledger import ACCOUNTS, DEPOSITS, REVENUE, numbered, row

from reports.analysis import recognition

TODAY = date(2026, 10, 15)


def recognise(ledger, today: date = TODAY) -> recognition.Recognition:
    return recognition.revenue_recognition(ledger, ACCOUNTS, today=today)


def test_revenue_booked_on_the_charter_day_is_on_time_and_a_day_before_it_is_early():
    # GIVEN two charters paid on September 10: B-1 sails that day (line 2), B-2 the next (line 3),
    # a 100 refund of B-3's revenue dated before its charter day (line 4: not revenue booked) and
    # a zero row for B-4 before its day (line 5: books nothing) and 0.50 for B-5 a day early
    # (line 6)
    ledger = numbered(
        row("2026-09-10", REVENUE, "500", ref="B-1", service_date="2026-09-10"),
        row("2026-09-10", REVENUE, "400", ref="B-2", service_date="2026-09-11"),
        row("2026-09-10", REVENUE, "-100", ref="B-3", service_date="2026-09-30"),
        row("2026-09-10", REVENUE, "0", ref="B-4", service_date="2026-09-30"),
        row("2026-09-10", REVENUE, "0.50", ref="B-5", service_date="2026-09-11"),
    )
    # THEN B-2's 400 and B-5's 0.50 are booked early, for jada
    assert [(m.entity, m.amount, m.source.line) for m in recognise(ledger).misbooked] == [
        ("jada", D(400), 3),
        ("jada", D("0.50"), 6),
    ]


def test_revenue_without_a_charter_day_of_its_own_takes_its_charters():
    # GIVEN B-1's deposit names the charter day, October 1 (line 2), and its revenue row does not:
    # 300 on September 30 (line 3, early) and B-2's 200 on its own charter day (lines 4-5)
    ledger = numbered(
        row("2026-09-01", DEPOSITS, "50", ref="B-1", service_date="2026-10-01"),
        row("2026-09-30", REVENUE, "300", ref="B-1"),
        row("2026-09-02", DEPOSITS, "50", ref="B-2", service_date="2026-09-20"),
        row("2026-09-20", REVENUE, "200", ref="B-2"),
    )
    assert [m.source.line for m in recognise(ledger).misbooked] == [3]


def test_memos_without_a_ref_date_the_charter_from_the_memo_else_a_deposit_word_says_early():
    # GIVEN revenue rows written without a ref:
    #   line 2: "Charter: 2026-09-01 Sunset sail" on September 1 -> its day, on time
    #   line 3: "Charter: 2026-12-01 Holiday sail" on October 1 -> before its day: early
    #   line 4: "Deposit for the regatta" (no colon, no date) -> a deposit by its first word: early
    #   line 5: "Balance of the regatta" (no colon, no date, no deposit word) -> on time
    #   line 6: "Charter: 2026-02-30 Leap sail" (no such day) and no deposit word -> on time
    ledger = numbered(
        row("2026-09-01", REVENUE, "100", memo="Charter: 2026-09-01 Sunset sail"),
        row("2026-10-01", REVENUE, "200", memo="Charter: 2026-12-01 Holiday sail"),
        row("2026-10-02", REVENUE, "300", memo="Deposit for the regatta"),
        row("2026-10-03", REVENUE, "400", memo="Balance of the regatta"),
        row("2026-10-04", REVENUE, "500", memo="Charter: 2026-02-30 Leap sail"),
    )
    assert [(m.memo, m.source.line) for m in recognise(ledger).misbooked] == [
        ("Charter: 2026-12-01 Holiday sail", 3),
        ("Deposit for the regatta", 4),
    ]


def test_a_revenue_row_with_a_ref_never_reads_a_date_from_its_memo():
    # GIVEN a 250 payment for B-7 on October 1 whose memo opens with a later date, and a 90 one for
    # B-8 whose memo opens with "Deposit": with a ref the memo is not read, and no row of theirs
    # names a day: neither is early
    ledger = numbered(
        row("2026-10-01", REVENUE, "250", ref="B-7", memo="Charter: 2026-12-01 Holiday"),
        row("2026-10-01", REVENUE, "90", ref="B-8", memo="Deposit balance"),
    )
    assert recognise(ledger).misbooked == ()


def test_several_deposit_rows_for_one_charter_add_up():
    # GIVEN B-1's deposit paid in two rows, 300 on August 5 (line 2) and 200 on August 20 (line 3)
    ledger = numbered(
        row("2026-08-05", DEPOSITS, "300", ref="B-1", service_date="2026-11-01", memo="Deposit: Regatta"),
        row("2026-08-20", DEPOSITS, "200", ref="B-1"),
    )
    found = recognise(ledger)
    # THEN 300 + 200 = 500 is held, received on the first row's day and cited from it
    (held,) = found.held
    assert (held.ref, held.amount, held.received, held.source.line, held.charter) == (
        "B-1", D(500), date(2026, 8, 5), 2, "Regatta",
    )  # fmt: skip
    assert (found.totals.received, found.totals.held) == (D(500), D(500))
    assert found.deferred_balance == D(500)
    august = found.by_month[7]
    assert (august.month, august.received) == (date(2026, 8, 1), D(500))


def test_deposits_recognised_are_counted_positive_in_the_month_of_the_charter():
    # GIVEN 800 held from August 5 (line 2) and recognised on September 12, the charter day
    # (deposit account out 800, line 3; revenue in 800, line 4), plus 150 paid at once that day
    ledger = numbered(
        row("2026-08-05", DEPOSITS, "800", ref="B-1", service_date="2026-09-12"),
        row("2026-09-12", DEPOSITS, "-800", ref="B-1"),
        row("2026-09-12", REVENUE, "800", ref="B-1"),
        row("2026-09-12", REVENUE, "150", ref="B-2"),
    )
    found = recognise(ledger)
    # THEN the year's months run January to October; August received 800; September recognised
    # 800 of deposits and 800 + 150 = 950 of revenue; nothing is held any more
    assert [m.month.month for m in found.by_month] == list(range(1, 11))
    august, september = found.by_month[7], found.by_month[8]
    assert (august.received, august.recognised_deposits, august.revenue) == (D(800), D(0), D(0))
    assert (september.received, september.recognised_deposits, september.revenue) == (D(0), D(800), D(950))
    assert found.held == () and found.deferred_balance == D(0)
    assert (found.totals.received, found.totals.recognised, found.totals.held) == (D(950), D(950), D(0))


def test_rows_dated_today_count_and_rows_after_today_and_last_year_do_not():
    # GIVEN revenue of 700 today (line 2), 90 tomorrow (line 3), 40 last December (line 4),
    # and a 120 deposit held today (line 5) and 60 tomorrow (line 6)
    ledger = numbered(
        row("2026-10-15", REVENUE, "700", ref="A"),
        row("2026-10-16", REVENUE, "90", ref="B"),
        row("2025-12-31", REVENUE, "40", ref="C"),
        row("2026-10-15", DEPOSITS, "120", ref="D", service_date="2026-11-01"),
        row("2026-10-16", DEPOSITS, "60", ref="E", service_date="2026-11-01"),
    )
    found = recognise(ledger)
    # THEN this year's revenue is 700 (not 790, not 740), 120 is held and October received 120
    assert found.recognised_this_year == D(700)
    assert found.deferred_balance == D(120)
    assert [d.ref for d in found.held] == ["D"]
    assert found.by_month[9].received == D(120)
    assert found.by_month[9].revenue == D(700)


def test_refunds_are_counted_by_month_up_to_today_but_not_as_revenue():
    # GIVEN 400 held for B-1 (line 2), 100 of it refunded on September 3 (line 3) and 300 on October
    # 15, today (line 4); B-2's 500 recognised revenue (line 5) 200 of which is paid back on
    # October 16, tomorrow (line 6: not counted)
    ledger = numbered(
        row("2026-08-01", DEPOSITS, "400", ref="B-1"),
        row("2026-09-03", DEPOSITS, "-100", ref="B-1"),
        row("2026-10-15", DEPOSITS, "-300", ref="B-1"),
        row("2026-08-02", REVENUE, "500", ref="B-2"),
        row("2026-10-16", REVENUE, "-200", ref="B-2"),
    )
    found = recognise(ledger)
    assert [(r.day, r.amount) for r in found.refunds] == [(date(2026, 9, 3), D(100)), (TODAY, D(300))]
    assert (found.by_month[8].refunded, found.by_month[9].refunded) == (D(100), D(300))
    assert (found.totals.refunded, found.totals.recognised) == (D(400), D(500))
    months = recognition.refunds_by_month(ledger, ACCOUNTS, today=TODAY)
    assert [(m.month.month, m.of_deposits, m.of_revenue) for m in months] == [
        (9, D(100), D(0)),
        (10, D(300), D(0)),
    ]


def test_held_deposits_are_listed_by_charter_day_then_entity_then_charter_undated_last():
    # GIVEN four charters with money held:
    #   vela "Alpha" on December 1, jada "Zulu" on December 1, jada "Alpha" on December 1,
    #   jada "Undated" with no day, and jada "Early" on November 20
    ledger = numbered(
        row(
            "2026-09-01",
            DEPOSITS,
            "10",
            ref="V",
            entity="vela",
            memo="Deposit: Alpha",
            service_date="2026-12-01",
        ),
        row("2026-09-01", DEPOSITS, "10", ref="Z", memo="Deposit: Zulu", service_date="2026-12-01"),
        row("2026-09-01", DEPOSITS, "10", ref="A", memo="Deposit: Alpha", service_date="2026-12-01"),
        row("2026-09-01", DEPOSITS, "10", ref="U", memo="Deposit: Undated"),
        row("2026-09-01", DEPOSITS, "10", ref="E", memo="Deposit: Early", service_date="2026-11-20"),
    )
    assert [d.ref for d in recognise(ledger).held] == ["E", "A", "Z", "V", "U"]


def test_money_held_on_its_charter_day_is_ahead_and_the_day_after_it_has_passed():
    # GIVEN as of October 15: B-1 sails today, B-2 sailed yesterday, B-3 has no day
    ledger = numbered(
        row("2026-09-01", DEPOSITS, "10", ref="B-1", service_date="2026-10-15"),
        row("2026-09-01", DEPOSITS, "20", ref="B-2", service_date="2026-10-14"),
        row("2026-09-01", DEPOSITS, "30", ref="B-3"),
    )
    found = recognise(ledger)
    assert [d.ref for d in found.ahead] == ["B-1"]
    assert [d.ref for d in found.passed] == ["B-2"]
    assert [d.ref for d in found.undated] == ["B-3"]


def test_a_deposit_written_without_a_ref_is_held_under_no_ref():
    # GIVEN a 75 deposit without a ref, "Deposit: 2026-11-02 Harbour tour" (line 2): its charter
    # is the memo after the colon, its day the date opening it
    ledger = numbered(row("2026-09-01", DEPOSITS, "75", memo="Deposit: 2026-11-02 Harbour tour"))
    (held,) = recognise(ledger).held
    assert (held.ref, held.charter, held.service_date, held.amount) == (
        "", "2026-11-02 Harbour tour", date(2026, 11, 2), D(75),
    )  # fmt: skip


def test_money_held_is_dated_by_its_deposit_even_when_a_payment_came_first():
    # GIVEN B-1 paid 200 at once on August 1 (revenue, line 2) and a 300 deposit on August 5
    # (line 3): 300 is held, received on August 5
    ledger = numbered(
        row("2026-08-01", REVENUE, "200", ref="B-1", service_date="2026-08-01"),
        row("2026-08-05", DEPOSITS, "300", ref="B-1"),
    )
    (held,) = recognise(ledger).held
    assert (held.amount, held.received, held.source.line) == (D(300), date(2026, 8, 5), 3)


def test_an_empty_ledger_gives_figures_of_zero_dollars_not_of_nothing():
    # The figures are Decimals even with no rows: the templates and the JSON format them as money
    found = recognise(())
    figures = (found.deferred_balance, found.recognised_this_year, *vars(found.totals).values())
    assert figures == (D(0),) * 6 and all(isinstance(figure, D) for figure in figures)
    months = [(m.received, m.recognised_deposits, m.refunded, m.revenue) for m in found.by_month]
    assert len(months) == 10 and all(isinstance(figure, D) and figure == 0 for m in months for figure in m)
