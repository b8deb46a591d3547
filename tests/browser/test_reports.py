"""Reports in the browser: preview before sending, send with live progress, dry run, a failure
spelled out and retried, the run history and the recipients — as an admin does it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
REPORTS = 8  # the sample portfolio calls for five role reports and three domain reports
# Breaking one ledger amount fails the six reports that read the ledger (CEO, CTO for the AWS
# invoices, CFO, accounting, rental, delivery); the CMO's and the agency's do not read it.
LEDGER_READERS = 6
RUN_ENDED = "() => /Run (succeeded|partial|failed)/.test(document.querySelector('.run-state')?.textContent)"


def confirm_send(page) -> None:
    """Answer the confirmation a real send asks for, and wait until it has closed."""
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Send", exact=True).click()
    dialog.wait_for(state="detached")


def wait_for_run_end(page, *, timeout_ms: int = 90_000) -> str:
    """Wait until the run panel says the run ended; return its status line."""
    state = page.locator(".run-state")
    page.wait_for_function(RUN_ENDED, timeout=timeout_ms)
    return state.text_content()


def test_preview_shows_the_html_sandboxed_the_text_and_the_recipients(server, page, sign_in, shoot):
    # GIVEN a signed-in admin on the catalogue
    sign_in(page)
    page.get_by_role("link", name="Reports").click()
    page.locator("table.catalogue tbody tr").nth(REPORTS - 1).wait_for()
    assert page.locator("table.catalogue tbody tr").count() == REPORTS
    ceo = page.locator("tr[data-report=ceo]")
    assert "CEO" in ceo.text_content() and "admin@example.com" in ceo.text_content()
    assert "never sent" in ceo.text_content()

    # WHEN they preview the CFO report
    page.get_by_role("link", name="Preview CFO briefing: burn, runway and break-even").click()
    # THEN its HTML is in a fully sandboxed frame (no scripts, no same-origin access)
    frame_element = page.locator("iframe.preview-frame")
    frame_element.wait_for()
    assert frame_element.get_attribute("sandbox") == ""
    frame = page.frame_locator("iframe.preview-frame")
    frame.get_by_text("CFO briefing: burn, runway and break-even").first.wait_for()
    # with the figures the report computes: the first amount of its subject line (the burn)
    token = page.evaluate("JSON.parse(localStorage.getItem('scc.session')).token")
    _, data = server.call("GET", "/api/reports/cfo/preview?format=json", token=token)
    burn = re.search(r"\$[\d,]+", data["subject"]).group(0)
    assert burn in frame.locator("body").text_content()
    shoot(page, "report-preview")
    # AND the text version is one tab away, with the same figure
    page.get_by_role("tab", name="Plain text").click()
    text = page.locator("pre.preview-text")
    text.wait_for()
    assert burn in text.text_content()

    # WHEN the recipients tab is given a bad address, THEN the API's message shows at the field
    page.get_by_role("tab", name="Recipients").click()
    page.get_by_label("To").fill("cfo@example.com\nnot-an-address")
    page.expected_errors.append("status of 400")
    page.get_by_role("button", name="Save recipients").click()
    error = page.locator("[data-field=to] .field-error")
    error.wait_for()
    assert "not-an-address" in error.text_content() and "not an email address" in error.text_content()
    # AND a good list is saved and shows in the catalogue
    page.get_by_label("To").fill("cfo@example.com, books@example.com")
    page.get_by_role("button", name="Save recipients").click()
    page.get_by_text("Saved the recipients of CFO briefing").wait_for()
    assert page.get_by_label("To").input_value() == "cfo@example.com\nbooks@example.com"
    page.get_by_role("link", name="← All reports").click()
    cfo = page.locator("tr[data-report=cfo] td.recipients")
    cfo.wait_for()
    assert cfo.text_content() == "cfo@example.com, books@example.com"


def test_send_reports_shows_progress_until_every_report_is_sent(server, page, sign_in, shoot):
    # GIVEN a signed-in admin on the reports page
    sign_in(page)
    page.goto(server.url + "/#/reports")
    send = page.get_by_role("button", name="Send all reports")
    send.wait_for()
    # WHEN they click Send all reports and confirm
    send.click()
    confirm_send(page)
    # THEN the run panel shows the progress while it sends (the embedded SES sends 1 a second)
    page.locator(".run progress").wait_for()
    page.get_by_text("Sending…").wait_for()
    shoot(page, "send-reports-progress")
    status = wait_for_run_end(page)
    # AND ends with every report sent, each row saying so
    assert f"Run succeeded: {REPORTS} of {REPORTS} done." in status
    page.get_by_text(f"Sent: {REPORTS} reports emailed.").wait_for()
    rows = page.locator(".run tbody tr")
    assert rows.count() == REPORTS
    assert page.locator(".run tbody tr .tag-good").all_text_contents() == ["sent"] * REPORTS
    assert page.locator(".run progress").get_attribute("value") == str(REPORTS)
    shoot(page, "send-reports-done")
    # AND exactly one email per report went out for this run
    run_id = page.evaluate(
        "fetch('/api/report-runs', {headers: {Authorization: 'Bearer ' + "
        "JSON.parse(localStorage.getItem('scc.session')).token}}).then(r => r.json())"
        ".then(runs => runs[0].run_id)"
    )
    sent = sorted(message["X-SCC-Report-Id"] for message in server.report_emails(run_id))
    assert len(sent) == REPORTS and len(set(sent)) == REPORTS
    # AND the catalogue and the run history show it
    page.locator("table.catalogue tr[data-report=ceo] .tag-good").wait_for()
    history = page.locator("table.history tbody tr").first
    assert "dashboard" in history.text_content() and "succeeded" in history.text_content()
    assert f"Sent {REPORTS} of {REPORTS}" in history.text_content()
    assert "Dry run" not in history.text_content()


def test_a_dry_run_of_a_selection_sends_nothing(server, page, sign_in):
    sign_in(page)
    page.goto(server.url + "/#/reports")
    before = len(server.emails())
    # GIVEN two reports picked and the dry-run toggle on
    page.get_by_label("Select CMO briefing: channels, listings and the list").check()
    page.get_by_label("Select Client billing audit: DangerousCentaur").check()
    page.get_by_label("Dry run (render and archive, send nothing)").check()
    # WHEN they click the button, which now says what it will do
    page.get_by_role("button", name="Send 2 selected reports (dry run)").click()
    # THEN the run covers just those two, rendered and not sent
    status = wait_for_run_end(page)
    assert "Run succeeded: 2 of 2 done." in status
    assert page.locator(".run tbody tr").count() == 2
    assert page.locator(".run tbody .tag").all_text_contents() == ["dry run", "dry run"]
    assert len(server.emails()) == before
    # AND the run history says it was a dry run, never that anything was sent
    history = page.locator("table.history tbody tr").first
    history.get_by_text("Dry run: 2 of 2 rendered").wait_for()
    assert "Sent" not in history.text_content()


def test_a_failed_report_is_spelled_out_and_retry_sends_only_it(server, page, sign_in, shoot):
    # GIVEN the knowledge base's ledger broken at line 4 (an amount that is not a number)
    ledger = server.knowledge_base / "ledger.csv"
    good = ledger.read_text()
    lines = good.splitlines(keepends=True)
    fields = lines[3].split(",")
    fields[3] = "twelve"
    lines[3] = ",".join(fields)
    ledger.write_text("".join(lines))
    sign_in(page)
    page.goto(server.url + "/#/reports")
    try:
        # WHEN the admin sends the reports (and confirms)
        page.get_by_role("button", name="Send all reports").click()
        confirm_send(page)
        status = wait_for_run_end(page)
    finally:
        ledger.write_text(good)  # the business mends the file
    # THEN the run is partial, each failed report says which file and line
    assert f"Run partial: {REPORTS} of {REPORTS} done, {LEDGER_READERS} failed." in status
    failed = page.locator(".run tbody tr", has=page.locator(".tag-bad"))
    assert failed.count() == LEDGER_READERS
    for error in page.locator(".run tbody td.error").all_text_contents():
        if error:
            assert "ledger.csv:4:" in error
    assert page.locator(".run tbody .tag-good").count() == REPORTS - LEDGER_READERS
    page.get_by_text(f"{LEDGER_READERS} of {REPORTS} reports failed; the reasons are below.").wait_for()
    shoot(page, "send-reports-failed")

    # WHEN they click Retry failed reports after the file is mended
    page.get_by_role("button", name="Retry failed reports").click()
    page.wait_for_function(
        "() => /Run succeeded/.test(document.querySelector('.run-state')?.textContent || '')", timeout=90_000
    )
    # THEN every report is sent, and across both attempts each exactly once
    assert page.locator(".run tbody .tag-good").count() == REPORTS
    assert page.get_by_role("button", name="Retry failed reports").is_hidden()
    run_id = page.evaluate(
        "fetch('/api/report-runs', {headers: {Authorization: 'Bearer ' + "
        "JSON.parse(localStorage.getItem('scc.session')).token}}).then(r => r.json())"
        ".then(runs => runs[0].run_id)"
    )
    sent = [message["X-SCC-Report-Id"] for message in server.report_emails(run_id)]
    assert sorted(sent) == sorted(set(sent)) and len(sent) == REPORTS


def test_leaving_the_reports_page_stops_following_the_run(server, page, sign_in):
    # GIVEN a run of every report under way (the embedded SES sends one a second)
    token = sign_in(page)
    status, started = server.call("POST", "/api/generate-reports", {"dry_run": False}, token)
    assert status == 202
    polls = []
    page.on(
        "request", lambda request: f"/api/report-runs/{started['run_id']}" in request.url and polls.append(1)
    )
    # WHEN the admin opens Reports, which follows the run, and moves on before it has loaded
    page.goto(server.url + "/#/reports")
    page.evaluate("location.hash = '#/tasks'")
    page.get_by_role("heading", name="Tasks").wait_for()
    page.wait_for_timeout(3000)
    # THEN the page stopped asking about the run (at most the one answer already on its way)
    assert len(polls) <= 1, f"{len(polls)} polls after leaving the page"
    assert page.locator(".run").count() == 0


def test_the_reports_page_shows_when_the_reports_go_out_next(server, page, sign_in):
    # GIVEN the default schedule (weekly, Monday 06:00, America/Los_Angeles)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    sign_in(page)
    token = page.evaluate("JSON.parse(localStorage.getItem('scc.session')).token")
    _, schedule = server.call("GET", "/api/reports/schedule", token=token)
    when = datetime.fromisoformat(schedule["next_send"]).astimezone(ZoneInfo(schedule["zone"]))
    # WHEN the admin opens the Reports page
    page.get_by_role("link", name="Reports").click()
    line = page.locator("#report-schedule")
    line.wait_for()
    # THEN it says the next send on the schedule's clocks, with the zone and the cadence
    expected = f"Next send: {when:%a} {when.day} {when:%b %Y, %H:%M} {when.tzname()} (weekly)"
    assert line.text_content() == expected
    assert when.weekday() == 0 and (when.hour, when.minute) == (6, 0)
    # AND it fits a 390 px phone without sideways scrolling
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
