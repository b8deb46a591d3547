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
    # (the inbox line: figures first, under 80 characters, the report named last)
    assert report.subject == "7 issues to clear, $650 deferred for 2 charters — Accounting briefing"
    # (the text part is wrapped at 78 columns: a phrase may run over a line break)
    for body in (report.html, " ".join(report.text.split())):
        for figure in (
            "$650",
            "$2,600",
            "charter passed: recognise now",
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


def test_refunds_and_cancellations_are_listed_and_never_counted_as_revenue():
    # GIVEN the deposits fixture (as of 2026-06-15; figures in its README.md)
    report = rendered(FIXTURE.parent / "deposits")
    brief = report.data["figures"]
    # THEN May and June's three refunds are listed with their charter, kind and row
    assert [(r["ref"], r["kind"], r["amount"], r["source"]["line"]) for r in brief["refunds"]] == [
        ("A-1", "cancellation", 400, 3),
        ("B-2", "refund of recognised revenue", 200, 8),
        ("C-3", "partial refund", 300, 10),
    ]
    # AND what is held is split: C-3 700 ahead, D-4 250 passed (it sailed on 06-06)
    assert [(h["ref"], h["amount"], h["status"]) for h in brief["held"]] == [
        ("D-4", 250, "charter passed: recognise now"),
        ("C-3", 700, "charter ahead"),
    ]
    for body in (report.html, report.text):
        for figure in (
            "1 charter ahead, 1 passed: recognise now",
            "3 refunds last month and this",
            "$4,100 received = $2,250 recognised + $900 refunded + $950 held",
            "(D-4): the charter sailed on 2026-06-06 [ledger.csv:11]",
            "refund of recognised revenue",
            "ledger.csv:10",
        ):
            assert figure in " ".join(body.split()), figure
