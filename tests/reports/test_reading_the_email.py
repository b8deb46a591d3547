"""The email as an executive reads it (issue 16): plain text in 78 columns, an inbox line that
leads with figures, a preheader that is not the subject again, a From with a name, a link back."""

from __future__ import annotations

import html
import re

import pytest
from sample_run import LIVE, NOW, SAMPLE

from reports import kb
from reports.build import build_all
from reports.email.message import report_email
from reports.formatting import subject_line, text_table, wrap_text
from reports.plugin import ReportsSettings
from reports.render import dashboard_links
from shipcaptaincrew.config import ConfigError, Settings


@pytest.fixture(scope="module")
def rendered():
    outcomes = build_all(kb.load(str(SAMPLE)), lambda: LIVE, now=NOW)
    return {outcome.report.id: outcome.rendered for outcome in outcomes}


def test_every_text_line_of_every_report_fits_in_78_columns(rendered):
    # GIVEN every sample report's plain-text part, WHEN its lines are measured
    long = {
        report_id: [line for line in report.text.splitlines() if len(line) > 78]
        for report_id, report in rendered.items()
    }
    # THEN none is longer than 78 characters
    assert not any(long.values()), {k: v[:3] for k, v in long.items() if v}


def test_a_narrow_table_is_left_as_it_is():
    table = text_table([["Fuel", "$370"], ["Crew", "$220"]], ["Category", "Total"], right=(1,))
    assert table.splitlines() == ["Category  Total", "--------  -----", "Fuel       $370", "Crew       $220"]


def test_a_wide_table_wraps_its_widest_text_column_and_keeps_the_figures_whole():
    rows = [["Sail", "word " * 30, "$12,345"], ["Dock", "short", "$7"]]
    lines = text_table(rows, ["Entity", "What", "Amount"], right=(2,)).splitlines()
    assert max(map(len, lines)) <= 78
    assert lines[2].endswith("$12,345") and any(line.endswith("$7") for line in lines)


def test_a_table_that_cannot_fit_becomes_label_value_records():
    headers = [f"Column {i}" for i in range(9)]
    rows = [[f"2026-11-{i:02}" for i in range(9)]]
    text = text_table(rows, headers, right=tuple(range(1, 9)))
    assert text.splitlines()[:3] == ["2026-11-00", "  Column 1: 2026-11-01", "  Column 2: 2026-11-02"]


def test_a_long_list_item_hangs_under_its_first_word():
    lines = wrap_text("3. " + "settle the deposit " * 8).splitlines()
    assert len(lines) > 1 and all(line.startswith("   s") for line in lines[1:])
    assert max(map(len, lines)) <= 78


PREHEADER = re.compile(r'<div style="display:none[^>]*>(.*?)</div>', re.S)


def test_every_subject_leads_with_a_figure_and_stays_under_80_characters(rendered):
    for report_id, report in rendered.items():
        subject = report.subject
        assert len(subject) < 80, (report_id, subject)
        assert subject == subject.strip() and "  " not in subject, (report_id, subject)
        # a figure within the first three words, and the report named at the end
        assert re.search(r"\d", " ".join(subject.split()[:3])), (report_id, subject)
        assert " — " in subject, (report_id, subject)
    assert rendered["cfo"].subject == "Burn $7,795/mo, 6.0 months of runway — CFO briefing"


def test_a_long_headline_drops_its_last_clauses_to_fit():
    line = subject_line("burn $7,795/mo, 6.0 months of runway, break-even at 7 charters/mo", "CFO briefing")
    assert line == "Burn $7,795/mo, 6.0 months of runway — CFO briefing"
    assert len(subject_line("word " * 40, "Report")) <= 79


def test_the_preheader_is_the_first_action_not_the_subject_again(rendered):
    for report_id, report in rendered.items():
        preheader = html.unescape(PREHEADER.search(report.html).group(1)).strip()
        assert preheader, report_id
        assert preheader != report.subject and report.subject.split(" — ")[0] not in preheader, report_id
        # the first of the numbered actions the report opens with
        first = preheader.removeprefix("First: ")
        assert preheader.startswith("First: ") and f"1. {first}" in " ".join(report.text.split()), report_id


def test_every_report_links_to_itself_and_its_recipients_in_the_dashboard(rendered):
    for report_id, report in rendered.items():
        page = f"/#/reports/{report_id}"
        assert f'href="http://127.0.0.1:8000{page}"' in report.html, report_id
        assert f"http://127.0.0.1:8000{page}" in report.text, report_id
        assert 'href="http://127.0.0.1:8000/#/reports"' in report.html, report_id


def test_the_dashboard_link_follows_app_base_url(monkeypatch):
    monkeypatch.setenv("APP_BASE_URL", "https://app.example.com/")
    assert dashboard_links("rental-3028-51st") == {
        "report": "https://app.example.com/#/reports/rental-3028-51st",
        "recipients": "https://app.example.com/#/reports",
    }


def test_from_carries_the_display_name_and_reply_to_is_optional(rendered):
    report = rendered["cfo"]
    email = report_email(
        report, sender="reports@example.com", to=["cfo@example.com"], run_id="run-1",
        sender_name=Settings.ses_from_name,
    )  # fmt: skip
    assert email["From"] == "Ship Captain Crew Reports <reports@example.com>"
    assert email["From"].addresses[0].addr_spec == "reports@example.com"
    assert email["Message-ID"].endswith("@example.com>")
    assert email["Reply-To"] is None
    assert email["Subject"] == report.subject
    replied = report_email(
        report, sender="reports@example.com", to=["cfo@example.com"], run_id="run-1",
        sender_name="Queen's \"reports\"", reply_to="office@example.com",
    )  # fmt: skip
    assert replied["From"].addresses[0].display_name == 'Queen\'s "reports"'
    assert replied["Reply-To"] == "office@example.com"


def test_a_reply_to_that_is_not_one_address_is_refused():
    with pytest.raises(ConfigError, match="REPORTS_REPLY_TO"):
        ReportsSettings(reports_reply_to="a@example.com, b@example.com").validate()
    ReportsSettings(reports_reply_to="office@example.com").validate()


SHORT_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 2[4-9]\b(?!\d)")


def test_the_wording_reads_as_meant(rendered):
    for report_id, report in rendered.items():
        for body in (report.text, report.html):
            assert "(es)" not in body and "(s)" not in body, report_id
            # months carry their year in full: "May 26" reads as a day
            assert not SHORT_MONTH.findall(body), (report_id, SHORT_MONTH.findall(body)[:3])
    # the CTO's chart shows cents rather than rounding $0.40 to "$0"
    assert re.search(r"secretsmanager \(AWS\)\s+\$0\.40", rendered["cto"].text)
    assert ">$0.40</td>" in rendered["cto"].html
    # a paused list is "currently paused", not "paused today"
    cmo = " ".join(rendered["cmo"].text.split())
    assert "people, currently paused." in cmo and "paused today" not in cmo
    # the rental headline says the latest month lost money once the mortgage is paid
    assert "Oct 2026 lost $2,115 after debt service" in rendered["rental-3028-51st"].subject


def test_best_and_least_margin_rank_the_jobs_by_margin_percent(rendered):
    figures = rendered["expertyachtdelivery"].data["figures"]
    rates = sorted((job["rate"], job["id"]) for job in figures["jobs"] if job["rate"] is not None)
    best, least = figures["best_and_worst"]
    assert best.startswith(f"Best margin: {rates[-1][1]} ") and least.startswith(
        f"Least margin: {rates[0][1]} "
    )
    assert f"{round(rates[0][0] * 100)}%" in least
