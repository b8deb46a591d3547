"""Every report of the sample portfolio, end to end: knowledge base -> brief -> HTML and text.

These hold for all reports, present and future: adding a catalogue entry brings it under them.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from sample_run import LIVE, NOW, SAMPLE

from reports import kb
from reports.build import build_all
from reports.catalogue import reports_for
from reports.live import unavailable

MONEY = re.compile(r"-?\$\d[\d,]*(?:\.\d\d)?")


@pytest.fixture(scope="module")
def sample() -> kb.Loaded:
    return kb.load(str(SAMPLE))


@pytest.fixture(scope="module")
def outcomes(sample):
    return {outcome.report.id: outcome for outcome in build_all(sample, lambda: LIVE, now=NOW)}


def visible_text(markup: str) -> str:
    """Return what a reader sees of an HTML body: tags and the hidden preheader removed."""
    body = re.sub(r'<div style="display:none.*?</div>', "", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_sample_calls_for_five_role_reports_and_three_domain_reports(sample):
    # GIVEN the six entities: one rental, one delivery and one agency business among them
    ids = [report.id for report in reports_for(sample.base)]
    # THEN one report per role, then one per domain entity, named by the entity's id
    assert ids == [
        "ceo",
        "cto",
        "cfo",
        "cmo",
        "accounting",
        "rental-3028-51st",
        "expertyachtdelivery",
        "dangerouscentaur",
    ]


def test_every_report_renders_in_html_and_text(outcomes):
    failed = {report_id: outcome.error for report_id, outcome in outcomes.items() if not outcome.ok}
    assert not failed
    for outcome in outcomes.values():
        rendered = outcome.rendered
        assert rendered.subject and "\n" not in rendered.subject
        assert rendered.html.lstrip().lower().startswith("<!doctype html>")
        assert "<script" not in rendered.html.lower()
        assert len(rendered.text.splitlines()) > 15


@pytest.mark.parametrize(
    "report_id",
    ["ceo", "cto", "cfo", "cmo", "accounting", "rental-3028-51st", "expertyachtdelivery", "dangerouscentaur"],
)
def test_html_and_text_show_the_same_money_figures(outcomes, report_id):
    # GIVEN one report rendered twice, WHEN the dollar amounts of each are collected
    rendered = outcomes[report_id].rendered
    in_html = set(MONEY.findall(visible_text(rendered.html)))
    in_text = set(MONEY.findall(rendered.text))
    # THEN the reader of either format sees the same figures; a table the HTML shows as a chart
    # only (the text part keeps it) is attached as CSV
    in_csv = {m for _, content in rendered.attachments for m in MONEY.findall(content.decode("utf-8-sig"))}
    assert in_html, "a report with no money figure at all"
    assert in_html == in_text - (in_csv - in_html), {
        "only in html": in_html - in_text,
        "only in text": in_text - in_html - in_csv,
    }


def test_every_report_cites_its_sources(outcomes):
    for outcome in outcomes.values():
        labels = outcome.rendered.data["footnotes"]["labels"]
        assert labels, f"{outcome.report.id} cites no source"
        assert "[1]" in outcome.rendered.text


def test_live_counts_reach_the_json_data_of_every_report(outcomes):
    for outcome in outcomes.values():
        assert outcome.rendered.data["live"] == LIVE.counts


def test_unavailable_live_counts_are_said_plainly_in_the_ceo_report(sample):
    # GIVEN no access to the app's tables
    (outcome,) = build_all(sample, unavailable("no AWS in this test"), wanted=["ceo"], now=NOW)
    # THEN the report still renders and says why the counts are missing
    assert outcome.ok, outcome.error
    assert "no AWS in this test" in outcome.rendered.text
    assert "no AWS in this test" in visible_text(outcome.rendered.html)


def copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(SAMPLE, root)
    return root


def test_script_in_a_handoff_is_escaped_in_html_and_kept_as_text(tmp_path):
    # GIVEN a critical shortfall whose title is a script tag
    root = copy_sample(tmp_path)
    handoff = root / "projects" / "portfolio-strategy.md"
    attack = "<script>alert(1)</script>"
    handoff.write_text(handoff.read_text().replace("Charter pipeline is empty", attack, 1))
    # WHEN the CEO report is rendered
    (outcome,) = build_all(kb.load(str(root)), lambda: LIVE, wanted=["ceo"], now=NOW)
    # THEN the HTML carries it escaped, never as markup, and the text shows it as written
    assert outcome.ok, outcome.error
    assert attack not in outcome.rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outcome.rendered.html
    assert attack in outcome.rendered.text


def test_a_broken_ledger_fails_only_the_reports_that_need_it(tmp_path):
    # GIVEN a ledger whose third data row has an amount that is not a number (file line 4)
    root = copy_sample(tmp_path)
    ledger = root / "ledger.csv"
    lines = ledger.read_text().splitlines(keepends=True)
    fields = lines[3].split(",")
    fields[3] = "twelve"
    lines[3] = ",".join(fields)
    ledger.write_text("".join(lines))
    # WHEN every report is built
    outcomes = {o.report.id: o for o in build_all(kb.load(str(root)), lambda: LIVE, now=NOW)}
    # THEN the ledger's readers fail naming the file and line; the others still render
    for report_id in ("ceo", "cfo", "accounting", "rental-3028-51st", "expertyachtdelivery"):
        assert not outcomes[report_id].ok
        assert "ledger.csv:4:" in outcomes[report_id].error
    for report_id in ("cmo", "dangerouscentaur"):
        assert outcomes[report_id].ok, outcomes[report_id].error
