"""The CTO report on the executive fixture (`fixtures/executive/`, as of 2026-03-15).

Figures worked out by hand from the fixture files:
- security gaps: Keys in source (high), No WAF (medium) -> 2, 1 critical or high.
- UX and dev-cycle gaps: Checkout confusing (critical ux), No CI (high devops) -> 2.
- CTO actions: Rotate the keys (due Mar 1: 14 days late) first, then Put a WAF in front (critical,
  Mar 30), Add CI (medium, May 1) -> 3, of which 2 are due within 30 days.
- estate: lambda 4 + s3 1.50 + 0.50 (idle) + domain 1.25 + cloudfront 3 + saas 15 = 25.25 a month;
  AWS = 4 + 2 + 3 = 9.00; AWS invoices (6310, vendor = aws) Dec-Feb (30 + 30 + 36) / 3 = 32.00, so
  23.00 is unlisted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_ceo import ATTACK, executive_kb, render_report

from reports import kb
from reports.briefs import cto
from reports.formatting import show

D = Decimal
TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def brief() -> cto.CtoBrief:
    return cto.build(executive_kb().base, today=TODAY, entity=None)


def test_security_and_product_gaps_are_split_by_area(brief):
    assert [(gap.severity, gap.title) for gap in brief.security] == [
        ("high", "Keys in source"),
        ("medium", "No WAF"),
    ]
    assert [gap.title for gap in brief.product] == ["Checkout confusing", "No CI"]
    assert (brief.security[0].entity, brief.security[0].file) == ("Alpha Charters", "projects/tech.md")


def test_engineering_actions_put_the_overdue_one_first(brief):
    assert [row.action for row in brief.actions] == ["Rotate the keys", "Put a WAF in front", "Add CI"]
    assert show(brief.actions[0].when) == "14 days overdue"
    assert {tile.label: show(tile.note) for tile in brief.key_figures}["Engineering actions"] == (
        "2 due within 30 days"
    )


def test_cost_by_service_and_entity_with_aws_apart(brief):
    assert (brief.cost.monthly, brief.cost.aws_monthly, brief.cost.billed_monthly) == (
        D("25.25"),
        D("9.00"),
        D("32.00"),
    )
    assert brief.service_bars[:2] == (("saas", D("15.00")), ("lambda (AWS)", D("4.00")))
    assert brief.entity_costs == (
        cto.CostRow("Beta Boats", 2, D("18.00")),
        cto.CostRow("Alpha Charters", 4, D("7.25")),
    )
    assert "$23.00 a month is billed for resources the inventory does not list" in brief.aws_note


def test_stack_rows_name_each_entity_once(brief):
    assert [(row.entity, row.service) for row in brief.stack] == [
        ("Alpha Charters", "domain"),
        ("", "lambda"),
        ("", "s3"),
        ("Beta Boats", "cloudfront"),
    ]
    assert (brief.stack[2].resources, brief.stack[2].monthly) == ("alpha-site, alpha-photos", D("2.00"))


def test_the_report_renders_the_key_figures_in_html_and_text():
    rendered = render_report("cto")
    assert rendered.subject == (
        "2 security gaps (1 urgent), AWS $9.00/mo, 3 actions, 1 overdue — CTO briefing"
    )
    for body in (rendered.html, rendered.text):
        for figure in ("$9.00/mo", "$32.00", "$23.00", "$25.25", "Keys in source", "alpha-photos"):
            assert figure in body, figure
        assert "assets.csv" in body and "ledger.csv" in body and "projects/tech.md" in body


def test_no_security_gaps_is_said_plainly():
    rendered = render_report("cto", edit=("projects/tech.md", 'area = "security"', 'area = "legal"'))
    for body in (rendered.html, rendered.text):
        assert "no security shortfalls are recorded in the handoffs" in body


def test_a_script_in_a_gap_detail_is_escaped_in_html():
    rendered = render_report("cto", edit=("projects/tech.md", "API keys sit in the code.", ATTACK))
    assert ATTACK not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert ATTACK in rendered.text


def test_the_aws_bill_is_the_flagged_account_only_never_a_domain_renewal_labelled_cloud():
    # GIVEN the deposits fixture: AWS assets 4.00 + 1.50 + 2.50 (idle) = 8.00; the AWS bill is 6310
    # (vendor = aws), Mar-May 90 / 3 = 30.00; a 21.00 domain renewal on 6320, also labelled cloud
    loaded = kb.load(str(Path(__file__).parent / "fixtures" / "deposits"))
    brief = cto.build(loaded.base, today=date(2026, 6, 15), entity=None)
    # THEN AWS invoiced is 30.00 (not (90 + 21) / 3 = 37.00) and the gap 22.00 (not 29.00)
    assert (brief.cost.aws_monthly, brief.cost.billed_monthly, brief.cost.unlisted) == (
        D("8.00"),
        D("30.00"),
        D("22.00"),
    )
    assert "the AWS invoices (6310) average $30.00" in brief.aws_note
    assert "$22.00 a month is billed for resources the inventory does not list" in brief.aws_note


def test_without_an_aws_bill_account_the_report_says_it_cannot_check_the_bill():
    # GIVEN the AWS account relabelled and not marked vendor = aws
    base = executive_kb().base
    accounts = tuple(replace(a, name="Hosting", vendor=None) for a in base.accounts)
    brief = cto.build(replace(base, accounts=accounts), today=TODAY, entity=None)
    # THEN there is no bill, and the report never says that the inventory covers it
    assert (brief.cost.billed_monthly, brief.cost.unlisted) == (None, None)
    assert "no account in accounts.csv is marked as the AWS bill (vendor = aws)" in brief.aws_note
    assert "covers" not in brief.aws_note
    assert show({t.label: t.note for t in brief.key_figures}["AWS"]) == "no AWS bill account"
