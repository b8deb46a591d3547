"""The accounting report rendered from the finance fixture in HTML and text (figures: fixture README)."""

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
LIVE = Live(None, "not needed here")
ATTACK = "<script>alert(1)</script>"


def rendered(root: Path = FIXTURE):
    loaded = kb.load(str(root))
    (report,) = [r for r in reports_for(loaded.base) if r.id == "accounting"]
    return render("accounting", report.spec.template, context(report, loaded, LIVE, now=NOW))


def test_the_accounting_report_shows_the_key_figures_in_both_formats():
    # GIVEN the fixture: 650 deferred for 2 charters, 4 anomalies + 3 gaps, 2,600 revenue this year
    report = rendered()
    assert report.subject == (
        "Accounting briefing, Finance fixture: "
        "$650 of deposits deferred for 2 charters, 7 bookkeeping issues to clear"
    )
    for body in (report.html, report.text):
        for figure in (
            "$650",
            "$2,600",
            "OVERDUE",
            "ledger.csv:21",
            "ledger.csv:15",
            "$14.99",
            "-$200",
            "unused",
        ):
            assert figure in body, figure
        for text in (
            "No bookkeeping system",
            "Gross margin",
            "October closed",
            "14 days late",
            "missing charge",
        ):
            assert text in body, text


def test_every_accounting_section_cites_its_source():
    labels = rendered().data["footnotes"]["labels"]
    assert labels == ["ledger.csv", "accounts.csv", "assets.csv", "projects/*.md (handoffs)"]


def test_script_in_a_handoff_is_escaped_in_html(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    handoff = root / "projects" / "books.md"
    handoff.write_text(handoff.read_text().replace("No bookkeeping system", ATTACK))
    report = rendered(root)
    assert ATTACK not in report.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    assert ATTACK in report.text
