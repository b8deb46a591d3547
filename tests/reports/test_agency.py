"""The agency report's client billing audit: unbilled work, billing-model gaps, overdue invoices and
the totals per client, on the fixture.

`fixtures/domain/entities/studio.md` works every expected figure out next to its work items;
"today" is 2026-03-15.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from test_rental import TODAY, domain_kb, render_report

from reports.analysis import agency
from reports.briefs import agency as brief
from reports.formatting import show
from reports.model import Client, Source, WorkItem
from reports.vocabulary import BillingModel

D = Decimal


@pytest.fixture(scope="module")
def kb():
    return domain_kb().base


@pytest.fixture(scope="module")
def studio(kb):
    return kb.entity("studio")


def test_unbilled_work_is_finished_work_never_invoiced_oldest_first(studio):
    # GIVEN Logo (Cato, 700, done 2026-01-05) and Extra page (Bolt, 300, done 2026-03-01) unbilled,
    # and Spring menu (Acme, 200) not finished until 2026-04-01
    found = agency.unbilled_work(studio, today=TODAY)
    # THEN the two finished items, the longest waiting first: 69 and 14 days
    assert [(w.client, w.title, w.amount, w.age_days) for w in found] == [
        ("Cato Surf", "Logo", 700, 69),
        ("Bolt Dental", "Extra page", 300, 14),
    ]
    assert found[0].source.file == "entities/studio.md"


def test_a_client_with_no_billing_model_is_a_gap_with_its_work(studio):
    # GIVEN Cato's billing model is `none`, with one finished item of 700
    gaps = agency.billing_model_gaps(studio, today=TODAY)
    # THEN Cato is the one gap
    assert [(g.client, g.reason, g.work_items, g.work_amount) for g in gaps] == [
        ("Cato Surf", "no billing model agreed", 1, 700)
    ]


def test_a_client_with_work_but_no_rate_is_a_gap_and_one_without_work_is_not(studio):
    # GIVEN an hourly client with no rate and finished work, and a fixed-fee client with no rate nor work
    source = Source("entities/studio.md", 90)
    clients = (
        Client("dora", "Dora Dogs", BillingModel.HOURLY, None, source),
        Client("emil", "Emil Eats", BillingModel.FIXED, None, source),
    )
    work = (WorkItem("dora", "Booking page", date(2026, 2, 1), D(450), False, None, False, source),)
    entity = replace(studio, clients=clients, work_items=work)
    # THEN only the client with work cannot be billed
    gaps = agency.billing_model_gaps(entity, today=TODAY)
    assert [(g.client, g.reason, g.work_amount) for g in gaps] == [
        ("Dora Dogs", "hourly client with no rate", 450)
    ]
    # AND the brief asks for the rate, not a billing model
    built = brief.build(None, today=TODAY, entity=entity)
    assert (
        built.actions[0] == "Set the hourly rate of Dora Dogs and invoice its $450 of finished work (1 item)."
    )


def test_overdue_invoices_are_billed_unpaid_and_due_before_today(studio):
    # GIVEN Q4 hours (1000) due 2026-01-30 unpaid, February hours (600) due today, Landing page paid
    overdue = agency.overdue_invoices(studio, today=TODAY)
    # THEN only Q4 hours, 44 days overdue
    assert [(o.client, o.title, o.amount, o.days_overdue) for o in overdue] == [
        ("Bolt Dental", "Q4 hours", 1000, 44)
    ]


def test_totals_per_client_add_up_billed_paid_overdue_and_unbilled(studio):
    # WHEN the totals are read per client
    totals = {t.client: t for t in agency.client_totals(studio, today=TODAY)}
    # THEN Acme: billed 400, paid 400; Bolt: billed 1000 + 600 = 1600, paid 0, overdue 1000, unbilled 300,
    # outstanding 1600; Cato: unbilled 700; the unfinished Spring menu counts nowhere
    acme, bolt, cato = totals["Acme Bakery"], totals["Bolt Dental"], totals["Cato Surf"]
    assert (acme.billed, acme.paid, acme.overdue, acme.unbilled) == (400, 400, 0, 0)
    assert (bolt.billed, bolt.paid, bolt.overdue, bolt.unbilled, bolt.outstanding) == (
        1600,
        0,
        1000,
        300,
        1600,
    )
    assert (cato.billed, cato.unbilled, cato.rate) == (0, 700, None)


def test_the_brief_leads_with_the_money_waiting_and_what_to_do(kb, studio):
    # WHEN the brief is built for the fixture
    built = brief.build(kb, today=TODAY, entity=studio)
    # THEN unbilled 700 + 300 = 1000, overdue 1000, one client that cannot be billed
    assert (
        built.headline == "$1,000 of finished work unbilled, $1,000 overdue, 1 client that cannot be billed"
    )
    assert built.actions == (
        "Agree a billing model with Cato Surf and invoice its $700 of finished work (1 item).",
        "Invoice Bolt Dental: Extra page, $300, done 14 days ago.",
        "Chase Bolt Dental: Q4 hours, $1,000, due 2026-01-30, 44 days overdue.",
    )
    # AND the totals row: billed 2000, paid 400, overdue 1000, unbilled 1000
    assert built.client_total == brief.ClientRow("Total", "", "", D(2000), D(400), D(1000), D(1000))
    assert show(built.clients[0].rate) == "$500/mo"
    assert {key: m.value for key, m in brief.metrics(built).items()} == {
        "unbilled": 1000,
        "overdue": 1000,
        "gaps": 1,
    }


def test_an_agency_with_no_clients_says_so_instead_of_showing_zeros(kb, studio):
    # GIVEN an agency whose file lists no clients and no work
    empty = replace(studio, clients=(), work_items=())
    # WHEN its brief is built and rendered
    built = brief.build(kb, today=TODAY, entity=empty)
    rendered = render_report("studio", entity=empty)
    # THEN there are no rows to show, and both formats say the data is missing rather than $0
    assert not built.has_clients and not built.has_work
    assert built.clients == () and built.client_total is None and built.unbilled == ()
    assert "NO DATA: no clients are recorded for this agency" in rendered.text
    assert "No data: no clients are recorded for this agency" in rendered.html


def test_the_agency_report_renders_the_same_figures_in_html_and_text():
    # WHEN the agency report of the fixture is rendered
    rendered = render_report("studio")
    # THEN the audit's figures appear in both formats, the ages counted from the send (16 Mar, one
    # day after as_of): the brief's 44 and 69 days as of 15 Mar are 45 and 70 days when it is sent
    for figure in (
        "$1,000",
        "$700",
        "$300",
        "45",
        "70",
        "Cato Surf",
        "no billing model agreed",
        "$100/h",
        "$2,000",
    ):
        assert figure in rendered.text, figure
        assert figure in rendered.html, figure
    assert rendered.subject == "$1,000 of finished work unbilled, $1,600 overdue — Studio Nine billing audit"


def test_script_in_a_client_name_is_escaped_in_the_html():
    # GIVEN a client whose name is a script tag
    attack = "<script>alert(1)</script>"
    rendered = render_report("studio", edit=("entities/studio.md", "Cato Surf", attack))
    # THEN the HTML carries it escaped and the text as written
    assert attack not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert attack in rendered.text
