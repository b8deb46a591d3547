"""Properties over generated ledgers: a burn never counts a month without rows, deleting a month never
yields the smaller burn that averaging it in as $0 would, and every followed figure in a report's
JSON carries its source, window and cut-off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.analysis import finance
from reports.analysis.months import last_full_months, month_of
from reports.build import context, select
from reports.kb.loader import Loaded
from reports.live import Live
from reports.model import Account, LedgerRow, Source
from reports.render import render
from reports.vocabulary import AccountType

AS_OF = date(2026, 11, 15)
WINDOW = last_full_months(AS_OF, 3)  # Aug, Sep, Oct 2026
MONTHS = [*last_full_months(AS_OF, 6), date(2026, 11, 1)]  # May - Nov 2026
ACCOUNTS = (
    Account(
        "3000", "Owner contributions", AccountType.EQUITY, "owner-equity", None, Source("accounts.csv", 2)
    ),
    Account("4000", "Charter revenue", AccountType.REVENUE, "charters", None, Source("accounts.csv", 3)),
    Account("6000", "Dockage", AccountType.EXPENSE, "dockage", None, Source("accounts.csv", 4)),
)
SIGN = {"3000": 1, "4000": 1, "6000": -1}
CENT = Decimal("0.01")
MY_REPORTS = ("ceo", "cfo", "cmo", "rental-3028-51st", "expertyachtdelivery", "dangerouscentaur")

rows = st.tuples(
    st.sampled_from(MONTHS),
    st.integers(min_value=1, max_value=28),
    st.sampled_from(sorted(SIGN)),
    st.integers(min_value=1, max_value=900_000),
)


def ledger_of(drawn) -> tuple[LedgerRow, ...]:
    """Turn (month, day, account, cents) draws into ledger rows dated up to as_of."""
    found = []
    for line, (month, day, account, cents) in enumerate(drawn, start=2):
        amount = SIGN[account] * Decimal(cents) / 100
        found.append(
            LedgerRow(month.replace(day=day), "jada", account, amount, "", Source("ledger.csv", line))
        )
    return tuple(row for row in found if row.date <= AS_OF)


def net(ledger, month: date) -> Decimal:
    """Operating net of a month: revenue and expense rows only."""
    return sum((r.amount for r in ledger if month_of(r.date) == month and r.account != "3000"), Decimal(0))


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=25))
def test_burn_averages_exactly_the_window_months_that_have_rows(drawn):
    ledger = ledger_of(drawn)
    burn = finance.burn_rate(ledger, ACCOUNTS, today=AS_OF)
    entered = {month_of(row.date) for row in ledger}
    # THEN the months it averages are the window's months with at least one row, and no other
    covered = [m for m in WINDOW if m in entered]
    assert [flow.month for flow in burn.months] == covered
    start = min(entered, default=None)
    assert list(burn.window.missing) == [m for m in WINDOW if m not in entered and start and m >= start]
    assert burn.provisional == bool(burn.window.missing)
    operating = any(month_of(r.date) in covered and r.account != "3000" for r in ledger)
    if operating:
        expected = (-sum((net(ledger, m) for m in covered), Decimal(0)) / len(covered)).quantize(
            CENT, ROUND_HALF_UP
        )
        assert burn.monthly == expected
    else:
        assert burn.monthly is None


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, min_size=1, max_size=25), st.sampled_from(WINDOW))
def test_deleting_a_month_never_yields_the_smaller_zero_averaged_burn(drawn, deleted):
    ledger = ledger_of(drawn)
    kept = tuple(row for row in ledger if month_of(row.date) != deleted)
    burn = finance.burn_rate(kept, ACCOUNTS, today=AS_OF)
    # THEN the deleted month is not averaged in ...
    assert deleted not in [flow.month for flow in burn.months]
    # ... so when the kept months burn money (S >= 0), the burn is at least S / 3, the figure a $0
    # month would have given
    total = -sum((net(kept, m) for m in WINDOW), Decimal(0))
    if burn.monthly is not None and total >= 0:
        assert burn.monthly >= (total / len(WINDOW)).quantize(CENT, ROUND_HALF_UP)
    # ... and the burn says it is provisional whenever the deleted month is after the ledger's start
    if any(row.date < deleted for row in kept):
        assert burn.provisional and deleted in burn.window.missing


@settings(max_examples=25, deadline=None)
@given(st.lists(rows, max_size=20))
def test_every_followed_figure_in_the_json_carries_its_source(sample, drawn):
    base = replace(sample.base, ledger=ledger_of(drawn))
    loaded = Loaded(base, ())
    for report in select(loaded, MY_REPORTS):
        data = context(report, loaded, Live(None, "test"), now=datetime(2026, 11, 16, tzinfo=UTC))
        json = render(report.id, report.spec.template, data).data
        for key in report.spec.key_metrics(data["figures"]):  # every followed figure, known or not
            where = json["figures"]["provenance"][key]
            assert where["source"], (report.id, key)
            assert where["cut_off"] == "2026-11-15"
            assert where["provisional"] == bool(where["missing"])
