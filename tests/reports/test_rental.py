"""The rental report: rent roll, occupancy, NOI and leases ending, on the hand-checked fixture.

The fixture (`fixtures/domain/`) works every expected figure out in comments next to its data;
"today" is 2026-03-15, so the twelve full months are March 2025 - February 2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from reports.analysis import rental
from reports.briefs import rental as brief
from reports.briefs.rows import StatementLine
from reports.build import context, select
from reports.kb.loader import Loaded, parse
from reports.kb.sources import read_files
from reports.live import Live
from reports.model import Entity, LedgerRow, Source
from reports.render import Rendered, render
from reports.vocabulary import UnitStatus

D = Decimal
FIXTURE = Path(__file__).parent / "fixtures" / "domain"
TODAY = date(2026, 3, 15)  # the fixture's as_of
NOW = datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
LIVE = Live(
    {
        "events_by_status": {"booked": 1},
        "upcoming_charters": 1,
        "users_by_role": {},
        "checklist_completion": None,
    }
)


def domain_kb(edit: tuple[str, str, str] | None = None) -> Loaded:
    """Return the fixture knowledge base; `edit` = (file, old text, new text) changes one file first."""
    files = read_files(str(FIXTURE))
    if edit:
        name, old, new = edit
        assert old.encode() in files[name], f"{old!r} is not in {name}"
        files[name] = files[name].replace(old.encode(), new.encode())
    loaded = parse(files)
    assert not loaded.problems, loaded.problems
    return loaded


def render_report(
    report_id: str, edit: tuple[str, str, str] | None = None, entity: Entity | None = None
) -> Rendered:
    """Return the fixture's report `report_id` (an entity id) rendered in both formats.

    `edit` changes a file before loading; `entity` stands in for the loaded entity.
    """
    loaded = domain_kb(edit)
    (report,) = select(loaded, [report_id])
    report = replace(report, entity=entity or report.entity)
    return render(report.id, report.spec.template, context(report, loaded, LIVE, now=NOW))


@pytest.fixture(scope="module")
def kb():
    return domain_kb().base


@pytest.fixture(scope="module")
def flat(kb):
    return kb.entity("flat")


def test_the_rent_roll_lists_empty_units_first_then_by_rent(flat):
    # GIVEN A (1200, let), B (800, vacant), C (1000, notice), D (0, vacant)
    # WHEN the rent roll is read
    roll = rental.rent_roll(flat)
    # THEN the vacant units come first (largest rent first), then the let ones
    assert [unit.id for unit in roll] == ["B", "D", "A", "C"]


def test_occupancy_counts_a_tenant_on_notice_as_let_by_units_and_by_rent(flat):
    # WHEN occupancy is computed for A (let), B (vacant), C (notice), D (vacant)
    occupancy = rental.occupancy(flat)
    # THEN 2 of 4 units = 50%; by rent 2200 / 3000 = 73.33%; 800 a month stands empty
    assert (occupancy.units, occupancy.occupied_units) == (4, 2)
    assert occupancy.by_units == D("0.5000")
    assert occupancy.by_rent == D("0.7333")
    assert (occupancy.occupied_rent, occupancy.potential_rent, occupancy.vacant_rent) == (2200, 3000, 800)
    assert {source.file for source in occupancy.sources} == {"entities/flat.md"}


def test_a_property_with_no_units_has_no_occupancy_rather_than_zero(flat):
    # GIVEN a rental whose file lists no units
    empty = replace(flat, units=())
    # THEN occupancy is unknown (None), not 0%
    assert rental.occupancy(empty) is None


def test_leases_ending_within_ninety_days_include_those_already_ended(flat):
    # GIVEN A's lease ends 2026-05-01 (47 days away), C's ended 2026-03-01 (14 days ago),
    # and D is vacant with an old lease date
    ending = rental.leases_ending(flat, today=TODAY)
    # THEN C then A, soonest first; the vacant unit is not a lease ending
    assert [(lease.unit.id, lease.days_left) for lease in ending] == [("C", -14), ("A", 47)]
    # AND with a 30-day horizon only the lease already ended is left
    assert [lease.unit.id for lease in rental.leases_ending(flat, today=TODAY, within_days=30)] == ["C"]


def test_noi_is_the_last_twelve_full_months_of_revenue_less_operating_expenses(kb):
    # GIVEN rent of 1000 in Mar 2025, Jan 2026 and Feb 2026 inside the window (Feb 2025 before it,
    # Mar 2026 not yet a full month), repairs 300, insurance 100, a mortgage of 800 (financing)
    # and a returned deposit of 500 (a liability account)
    income = rental.net_operating_income("flat", kb.ledger, kb.accounts, today=TODAY)
    # THEN income 3000, operating expenses 400, NOI 2600 = 216.67 a month over 12 months
    assert (income.total_income, income.total_expenses, income.noi) == (3000, 400, 2600)
    assert income.monthly_noi == D("216.67")
    assert [(line.name, line.amount) for line in income.expenses] == [("Repairs", 300), ("Insurance", 100)]
    # AND the mortgage is kept apart, below the line: 2600 - 800 = 1800 left after it
    assert [(line.name, line.amount) for line in income.financing] == [("Mortgage", 800)]
    assert income.cash_after_financing == 1800
    # AND month by month: March 2025 earns 1000, February 2026 earns 1000 and costs 100
    assert (income.months[0], income.months[-1]) == (date(2025, 3, 1), date(2026, 2, 1))
    months = {month.month: month for month in income.by_month}
    assert (months[date(2025, 3, 1)].income, months[date(2025, 3, 1)].expenses) == (1000, 0)
    assert months[date(2026, 2, 1)].net == 900
    assert all(source.file == "ledger.csv" for source in income.sources)


def test_noi_is_none_when_the_property_has_no_ledger_rows_in_the_window(kb):
    # GIVEN only a row from two years ago
    old = (LedgerRow(date(2024, 1, 5), "flat", "4100", D(1000), "old rent", Source("ledger.csv", 2)),)
    # THEN there is no NOI to show, rather than a NOI of $0
    assert rental.net_operating_income("flat", old, kb.accounts, today=TODAY) is None


def test_the_brief_leads_with_what_to_do_and_says_why_a_section_is_empty(kb, flat):
    # WHEN the brief is built for the fixture
    built = brief.build(kb, today=TODAY, entity=flat)
    # THEN it heads with occupancy, NOI a month and the rent lost to vacancy
    assert built.headline == "50% occupied, NOI $217/mo, $800/mo of rent lost to vacancy"
    assert built.actions[:2] == (
        "Let Garden studio (unit B): empty, $800 a month of rent lost.",
        "Let Loft (unit D): empty, $0 a month of rent lost.",
    )
    assert "Renew or relet Lower flat: the lease ended 14 days ago." in built.actions
    assert StatementLine("Net operating income", D(2600)) in built.statement
    assert StatementLine("Left after debt service", D(1800)) in built.statement
    assert brief.metrics(built)["noi_monthly"].value == D("216.67")
    # AND without ledger rows the NOI is absent with a reason, not zero
    bare = brief.build(replace(kb, ledger=()), today=TODAY, entity=flat)
    assert bare.income is None and bare.statement == ()
    assert bare.income_missing == "no ledger rows on revenue or expense accounts for Mar 2025 - Feb 2026"
    assert brief.metrics(bare)["noi_monthly"].value is None


def test_a_let_property_with_no_lease_ending_has_nothing_to_do(kb, flat):
    # GIVEN every unit let on a lease ending next year
    let = replace(
        flat,
        units=tuple(replace(u, status=UnitStatus.OCCUPIED, lease_end=date(2027, 1, 1)) for u in flat.units),
    )
    # THEN the only action says so
    built = brief.build(kb, today=TODAY, entity=let)
    assert built.actions == ("Nothing needs action: every unit is let and no lease is about to end.",)


def test_the_rental_report_renders_the_same_figures_in_html_and_text():
    # WHEN the rental report of the fixture is rendered
    rendered = render_report("flat")
    # THEN the key figures appear in both formats, with their sources; the lease that ended on 1 Mar
    # ended 15 days before the send (16 Mar), not 14 days before as_of
    for figure in ("50%", "73%", "$217/mo", "$2,600", "$1,800", "$800", "Lower flat", "ended 15 days ago"):
        assert figure in rendered.text, figure
        assert figure in rendered.html, figure
    assert rendered.subject == "50% occupied, NOI $217/mo, $800/mo of rent lost to vacancy — Flat on Fifth"
    assert "entities/flat.md" in rendered.text and "ledger.csv" in rendered.text


def test_script_in_a_unit_name_is_escaped_in_the_html():
    # GIVEN a unit whose name is a script tag
    attack = "<script>alert(1)</script>"
    rendered = render_report("flat", edit=("entities/flat.md", "Garden studio", attack))
    # THEN the HTML carries it escaped and the text as written
    assert attack not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert attack in rendered.text


def test_a_month_not_entered_is_left_out_of_noi_and_said_in_the_headline(kb, flat):
    # GIVEN January 2026 deleted (rent 1,000 and repairs 300: the ledger's only January rows)
    ledger = tuple(row for row in kb.ledger if not (row.date.year == 2026 and row.date.month == 1))
    built = brief.build(replace(kb, ledger=ledger), today=TODAY, entity=flat)
    # THEN NOI is 2,000 - 100 = 1,900 over the 11 entered months = 172.73 (not 1,900 / 12 = 158.33)
    assert (built.income.noi, built.income.monthly_noi) == (D(1900), D("172.73"))
    assert built.headline == (
        "50% occupied, NOI $173/mo (Mar 2025–Dec 2025, Feb 2026; Jan 2026 not entered),"  # noqa: RUF001
        " $800/mo of rent lost to vacancy"
    )
    noi = built.provenance["noi_monthly"]
    assert (noi.provisional, noi.missing) == (True, (date(2026, 1, 1),))
