"""One cut-off and honest dates: every report counts the ledger up to `as_of` and no further, and
"due", "overdue" and "in N days" are counted from the send, with a warning when the figures are old.

Finance fixture (as of 15 Nov 2026), two rows added: 300 of charter revenue on 10 Nov (before the
cut-off) and 900 on 20 Nov (after it). November's revenue is then 300 to date in the CFO report, and
the accounting year-to-date grows by the same 300 — not 1,200 in one report and 300 in the other.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

from test_ceo import render_report as render_executive

from reports import kb
from reports.build import context, select
from reports.formatting import show
from reports.live import Live

FINANCE = Path(__file__).parent / "fixtures" / "finance"
NOW = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
LIVE = Live(None, "no live counts in this test")
LATE_ROWS = (
    {
        "date": "2026-11-10",
        "entity": "queen",
        "account": "4000",
        "amount": "300.00",
        "memo": "Charter 10 Nov",
    },
    {
        "date": "2026-11-20",
        "entity": "queen",
        "account": "4000",
        "amount": "900.00",
        "memo": "Charter 20 Nov",
    },
)


def finance_copy(tmp_path, *rows: dict) -> Path:
    """Copy the finance fixture and append `rows` to its ledger, whatever columns it has."""
    root = tmp_path / "kb"
    shutil.copytree(FINANCE, root)
    ledger = root / "ledger.csv"
    text = ledger.read_text()
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.DictWriter(out, header, restval="", lineterminator="\n").writerows(rows)
    ledger.write_text(text + out.getvalue())
    return root


def figures(root: Path, report_id: str, now: datetime = NOW) -> dict:
    loaded = kb.load(str(root))
    assert not loaded.problems, loaded.problems
    (report,) = select(loaded, [report_id])
    return context(report, loaded, LIVE, now=now)


def revenue_ytd(data: dict) -> str:
    (tile,) = [tile for tile in data["figures"].key_figures if tile.label == "Revenue YTD"]
    return show(tile.value)


def test_rows_after_as_of_count_in_no_report(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    plain, late = finance_copy(before), finance_copy(after, *LATE_ROWS)
    # THEN the CFO's November (month to date) holds the 300 of 10 Nov, not the 900 of 20 Nov
    (november,) = [row for row in figures(late, "cfo")["figures"].targets if row.month.month == 11]
    assert (november.actual, november.gap, november.standing) == (300, -500, "month to date")
    # AND the accounting year-to-date moves by the same 300: both reports agree about November
    ytd_before, ytd_after = (
        revenue_ytd(figures(plain, "accounting")),
        revenue_ytd(figures(late, "accounting")),
    )
    assert int(ytd_after.strip("$").replace(",", "")) - int(ytd_before.strip("$").replace(",", "")) == 300
    # AND the report says the later row was left out
    assert (
        "1 ledger row is dated after 15 Nov 2026: future, left out of every figure."
        in figures(late, "cfo")["notices"]
    )


def test_a_report_sent_more_than_a_week_after_as_of_opens_with_the_age_of_its_figures():
    # GIVEN the executive fixture, as of 15 Mar 2026, sent on 31 Mar: 16 days old
    report = render_executive("ceo", now=datetime(2026, 3, 31, 6, 0, tzinfo=UTC))
    notice = "Figures as of 15 Mar 2026 — 16 days old"
    assert report.text.split("=" * 78)[1].lstrip("\n").startswith(f"! {notice}")
    assert notice in report.html and report.html.index(notice) < report.html.index("At a glance")
    # AND "Send the spring offer", due 20 Mar, is 11 days overdue at the send (not "in 5 days")
    assert "Send the spring offer (cmo, critical, due 2026-03-20, 11 days overdue)" in report.text


def test_a_report_sent_within_a_week_has_no_age_warning_and_counts_from_the_send():
    report = render_executive("ceo", now=datetime(2026, 3, 22, 6, 0, tzinfo=UTC))  # 7 days after as_of
    assert "days old" not in report.text
    assert "Send the spring offer (cmo, critical, due 2026-03-20, 2 days overdue)" in report.text
