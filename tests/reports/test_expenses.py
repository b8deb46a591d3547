"""The expense audit on the finance fixture: categories by month, change, and anomalies (see its README)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from reports import kb
from reports.analysis import expenses

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
TODAY = date(2026, 11, 15)


def audit() -> expenses.ExpenseAudit:
    base = kb.load(str(FIXTURE)).base
    return expenses.expense_audit(base.ledger, base.accounts, base.assets, today=TODAY)


def test_spending_is_grouped_by_category_and_month_largest_first():
    result = audit()
    lines = {line.category: line.by_month for line in result.categories}
    assert [line.category for line in result.categories] == ["dockage", "crew", "software", "uncategorized"]
    assert lines["dockage"] == (D(1000), D(1000), D(1000))
    assert lines["software"] == (D(100), D(200), D(0))
    assert result.monthly_totals == (D(1400), D(1200), D(1050))


def test_month_over_month_change_is_the_last_month_minus_the_one_before():
    changes = {line.category: line.change for line in audit().categories}
    assert changes["software"] == D(-200)  # Oct 0 vs Sep 200
    assert changes["uncategorized"] == D(50)


def test_anomalies_name_the_row_or_asset_to_fix():
    found = [(a.kind, a.amount, a.source.file, a.source.line) for a in audit().anomalies]
    assert found == [
        ("uncategorized", D(50), "ledger.csv", 19),
        ("duplicate", D(100), "ledger.csv", 15),
        ("unowned asset", D("14.99"), "assets.csv", 2),
        ("outlier", D(300), "ledger.csv", 10),  # 300 > 3 x the median 80 of JADA's earlier crew rows
    ]


def test_no_expense_rows_in_the_window_means_no_categories():
    base = kb.load(str(FIXTURE)).base
    result = expenses.expense_audit(base.ledger, base.accounts, (), today=date(2026, 5, 1))
    assert result.categories == () and result.anomalies == ()


def test_an_idle_asset_without_an_owner_is_flagged_because_it_is_still_billed():
    # GIVEN the deposits fixture: an idle photo bucket (2.50 a month) and a retired server (20.00),
    # neither with an owner (fixtures/deposits/README.md)
    base = kb.load(str(Path(__file__).parent / "fixtures" / "deposits")).base
    result = expenses.expense_audit(base.ledger, base.accounts, base.assets, today=date(2026, 6, 15))
    # THEN the idle bucket is an anomaly (it costs 2.50 a month); the retired server costs nothing
    unowned = [
        (a.description, a.amount, a.source.line) for a in result.anomalies if a.kind == "unowned asset"
    ]
    assert unowned == [("Old photo bucket (jada, idle but still billed) has no owner", D("2.50"), 5)]
