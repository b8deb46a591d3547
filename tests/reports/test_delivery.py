"""The delivery report: jobs by status, the P&L of the jobs done, best and worst jobs, on the fixture.

`fixtures/domain/entities/boats.md` works every expected figure out next to its jobs; "today" is
2026-03-15, so the P&L covers March 2025 - February 2026.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from test_rental import TODAY, domain_kb, render_report

from reports.analysis import delivery
from reports.briefs import delivery as brief
from reports.vocabulary import JobStatus

D = Decimal


@pytest.fixture(scope="module")
def kb():
    return domain_kb().base


@pytest.fixture(scope="module")
def boats(kb):
    return kb.entity("boats")


def test_jobs_are_counted_and_valued_by_status_in_the_order_a_job_moves(boats):
    # GIVEN D-4 quoted 5000, D-3 completed 1000, D-2 invoiced 3000, D-1 and D-5 paid 2000 + 9000,
    # D-6 cancelled 500
    counts = delivery.jobs_by_status(boats)
    # THEN one line per status present, quoted first and cancelled last
    assert [(c.status.value, c.jobs, c.revenue) for c in counts] == [
        ("quoted", 1, 5000),
        ("completed", 1, 1000),
        ("invoiced", 1, 3000),
        ("paid", 2, 11000),
        ("cancelled", 1, 500),
    ]


def test_the_pnl_covers_jobs_earned_in_the_last_twelve_months_less_the_ledger_overheads(kb, boats):
    # WHEN the P&L is read for March 2025 - February 2026
    pnl = delivery.delivery_pnl(boats, kb.ledger, kb.accounts, today=TODAY)
    # THEN D-1, D-2 and D-3 count (D-5 is older, D-4 only quoted, D-6 cancelled), best margin first
    assert [job.id for job in pnl.jobs] == ["D-1", "D-2", "D-3"]
    # AND revenue 6000, direct costs 3600, margin 2400 = 40%
    assert (pnl.revenue, pnl.direct_costs, pnl.margin, pnl.margin_rate) == (6000, 3600, 2400, D("0.4000"))
    # AND the overheads are the fixed insurance of 50; the crew row (variable) is already a job cost
    assert [(line.name, line.amount) for line in pnl.overheads] == [("Insurance", 50)]
    assert pnl.operating_profit == 2350
    assert {source.file for source in pnl.sources} == {"entities/boats.md", "ledger.csv"}


def test_the_pnl_is_none_when_nothing_was_earned_or_spent(kb, boats):
    # GIVEN only a quoted job and no ledger rows
    quiet = replace(boats, jobs=tuple(job for job in boats.jobs if job.status is JobStatus.QUOTED))
    # THEN there is no P&L to show, rather than one of zeros
    assert delivery.delivery_pnl(quiet, (), kb.accounts, today=TODAY) is None


def test_best_and_worst_jobs_are_those_with_the_most_and_the_least_margin(kb, boats):
    # GIVEN margins D-1 1600, D-2 1000, D-3 -200
    pnl = delivery.delivery_pnl(boats, kb.ledger, kb.accounts, today=TODAY)
    ranked = delivery.best_and_worst(pnl.jobs)
    # THEN D-1 is best and D-3 worst
    assert (ranked.best.id, ranked.worst.id) == ("D-1", "D-3")
    assert delivery.margin_rate(ranked.best) == D("0.8000")
    # AND a single job is best with no worst; no job, no ranking
    assert delivery.best_and_worst(pnl.jobs[:1]).worst is None
    assert delivery.best_and_worst(()) is None


def test_the_brief_says_what_to_invoice_collect_confirm_and_review(kb, boats):
    # WHEN the brief is built
    built = brief.build(kb, today=TODAY, entity=boats)
    # THEN D-3 (completed 104 days ago: 2025-12-01 to 2026-03-15) is to invoice, D-2 to collect,
    # D-4's quote to confirm, and D-3's loss to review
    assert built.actions == (
        "Invoice D-3 for Cove Charters: $1,000, done 104 days ago.",
        "Collect D-2 from Bay Brokers: $3,000 invoiced, job of 2026-01-10 (64 days ago).",
        "Confirm the quote D-4 for Bay Brokers (San Diego to Cabo, 2026-04-01): $5,000, $4,000 margin.",
        "Review D-3 for Cove Charters: it lost $200.",
    )
    # AND the headline: margin 40% (2400) on 6000, with 1000 + 3000 = 4000 still to collect
    assert built.headline == "margin 40% ($2,400) on $6,000 earned, $4,000 still to collect"
    assert built.best_and_worst[1].startswith("Least margin: D-3 Cove Charters")
    assert brief.metrics(built)["margin"].value == 2400


def test_a_business_with_no_jobs_says_so(kb, boats):
    # GIVEN no jobs and no ledger rows
    built = brief.build(replace(kb, ledger=()), today=TODAY, entity=replace(boats, jobs=()))
    # THEN the P&L is absent with its reason, and no job table is drawn
    assert built.pnl is None and built.jobs == ()
    assert built.pnl_missing == "no job completed and no ledger overheads in Mar 2025 - Feb 2026"
    assert built.headline == "no delivery completed in the last twelve full months"
    assert brief.metrics(built)["revenue"].value is None


def test_the_delivery_report_renders_the_same_figures_in_html_and_text():
    # WHEN the delivery report of the fixture is rendered
    rendered = render_report("boats")
    # THEN the key figures appear in both formats
    for figure in ("$6,000", "$3,600", "$2,400", "40%", "$2,350", "$4,000", "D-1 Harbor Yachts", "-$200"):
        assert figure in rendered.text, figure
        assert figure in rendered.html, figure
    assert rendered.subject == "Margin 40% ($2,400) on $6,000 earned, $4,000 still to collect — Boat Movers"


def test_script_in_a_client_name_is_escaped_in_the_html():
    # GIVEN a job whose client is a script tag
    attack = "<script>alert(1)</script>"
    rendered = render_report("boats", edit=("entities/boats.md", "Cove Charters", attack))
    # THEN the HTML carries it escaped and the text as written
    assert attack not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert attack in rendered.text
