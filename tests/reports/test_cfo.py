"""The CFO report rendered from the finance fixture, in HTML and plain text (figures: fixture README)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from reports import kb
from reports.build import context
from reports.catalogue import reports_for
from reports.live import Live
from reports.render import render

FIXTURE = Path(__file__).parent / "fixtures" / "finance"
NOW = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
LIVE = Live(
    {
        "events_by_status": {"booked": 1},
        "upcoming_charters": 1,
        "users_by_role": {"admin": 1},
        "checklist_completion": 0.5,
    }
)
ATTACK = "<script>alert(1)</script>"


def rendered(root: Path = FIXTURE):
    loaded = kb.load(str(root))
    (report,) = [r for r in reports_for(loaded.base) if r.id == "cfo"]
    return render("cfo", report.spec.template, context(report, loaded, LIVE, now=NOW))


def test_the_cfo_report_shows_the_key_figures_in_both_formats():
    # GIVEN the fixture: burn 350, runway 2.9 months, break-even 3.1 -> 4 charters, capital 1,000
    report = rendered()
    # THEN the subject carries the headline, and both bodies the same figures
    assert report.subject == "Burn $350/mo, 2.9 months of runway, break-even at 4 charters/mo — CFO briefing"
    for body in (report.html, report.text):
        for figure in (
            "$350",
            "2.9 months",
            "3.1 charters",
            "$1,100",
            "-$400",
            "$1,000",
            "ledger.csv:9",
            "not entered",  # November has no rows up to as_of: not a -$800 miss
        ):
            assert figure in body, figure
        assert "BROKEN" in body and "Email blast" in body


def test_every_cfo_section_cites_its_source():
    report = rendered()
    assert report.data["footnotes"]["labels"] == [
        "ledger.csv",
        "portfolio.toml",
        "accounts.csv",
        "entities/*.md (unit economics)",
    ]
    assert "[4] entities/*.md (unit economics)" in report.text


def test_missing_ledger_data_is_said_plainly_instead_of_zeros(tmp_path):
    # GIVEN a copy whose ledger has only its header
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    ledger = root / "ledger.csv"
    ledger.write_text(ledger.read_text().splitlines()[0] + "\n")
    # WHEN the report is rendered
    report = rendered(root)
    # THEN the burn section says why it is empty, in both formats
    assert "no ledger rows in the last three full months (no data)" in report.text
    assert "no ledger rows in the last three full months (no data)" in report.html
    assert report.subject.startswith("Burn unknown")


def test_script_in_the_capital_plan_is_escaped_in_html(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    portfolio = root / "portfolio.toml"
    portfolio.write_text(portfolio.read_text().replace("Email blast", ATTACK))
    report = rendered(root)
    assert ATTACK not in report.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    assert ATTACK in report.text


def test_the_capital_text_does_not_count_money_already_spent_as_planned(tmp_path):
    # GIVEN the OTA photos (500, the only approved item) marked spent: 1,000 - 500 = 500 left
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    portfolio = root / "portfolio.toml"
    portfolio.write_text(portfolio.read_text().replace('status = "approved"', 'status = "spent"'))
    report = rendered(root)
    for body in (report.text, report.html):
        assert "$500 still to deploy, $500 already spent, in 3 items." in body
